import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Behind the HTTP decoder, on HTTP/1 connections only: tells the connection's guard when request heads
/// and ends arrive and responses end.
final class ExchangeObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var connectionGuard: ConnectionGuard?

    func handlerAdded(context: ChannelHandlerContext) {
        connectionGuard = try? context.pipeline.syncOperations.handler(type: ConnectionGuard.self)
        connectionGuard?.handedOffToHTTP()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionGuard = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: connectionGuard?.requestHead()
        case .body: break
        case .end: connectionGuard?.requestEnd()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { connectionGuard?.responseEnd() }
        context.write(data, promise: promise)
    }
}

/// At the end of the pipeline as it is first set up (behind the HTTP upgrade handler): passes everything on,
/// and tells the guard about parse errors (which the upgrade handler leaves unanswered) and upgrades.
/// It never reads a message, so it stays type-agnostic whatever the connection becomes.
final class PipelineEventWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let connectionGuard: ConnectionGuard

    init(connectionGuard: ConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { connectionGuard.parseFailed(error) }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .upgradeComplete? = event as? HTTPServerUpgradeEvents { connectionGuard.upgraded() }
        context.fireUserInboundEventTriggered(event)
    }
}
