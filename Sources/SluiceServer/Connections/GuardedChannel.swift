import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Hummingbird's HTTP/1 + WebSocket connection setup, behind the connection limit and a `ConnectionGuard`.
///
/// - A connection past `--max-connections` closes the longest-idle one, or is answered 503 and closed when
///   every open connection is busy; it never fails the setup (a failed setup would stop the listener).
/// - Connections the guard closes (timeouts, malformed heads) are expected: Hummingbird's own error log for
///   them is silenced, and `/metrics` counts them instead.
struct GuardedChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        /// Nil when the connection was refused.
        let inner: HTTP1WebSocketUpgradeChannel.Value?
        let channel: any Channel
    }

    let inner: HTTP1WebSocketUpgradeChannel
    let limits: ConnectionLimits
    let registry: ConnectionRegistry
    let metrics: ServiceMetrics

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let refused = Value(inner: nil, channel: channel)
        switch registry.open(at: .now, close: { channel.close(promise: nil) }) {
        case .refused:
            metrics.connectionClosed(.refused)
            let answer = channel.allocator.buffer(bytes: RawResponse.full(limit: registry.limit))
            channel.writeAndFlush(answer).whenComplete { _ in channel.close(promise: nil) }
            return channel.eventLoop.makeSucceededFuture(refused)
        case .admitted(let id, let evicted):
            if let evicted {
                metrics.connectionClosed(.evicted)
                evicted()
            }
            metrics.connectionOpened()
            channel.closeFuture.whenComplete { [registry, metrics] _ in
                registry.closed(id)
                metrics.connectionEnded()
            }
            let connectionGuard = ConnectionGuard(id: id, limits: limits, registry: registry, metrics: metrics)
            do {
                try channel.pipeline.syncOperations.addHandler(connectionGuard)
            } catch {
                channel.close(promise: nil)
                return channel.eventLoop.makeSucceededFuture(refused)
            }
            return inner.setup(channel: channel, logger: logger).assumeIsolated().flatMapThrowing { value in
                try channel.pipeline.syncOperations.addHandler(PipelineEventWatcher(connectionGuard: connectionGuard))
                return Value(inner: value, channel: channel)
            }.nonisolated().recover { _ in
                channel.close(promise: nil)
                return refused
            }
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard let connection = value.inner else { return }
        var quiet = logger
        quiet.logLevel = .critical  // "Error handling upgrade result" for every connection the guard closed
        await inner.handle(value: connection, logger: quiet)
    }
}
