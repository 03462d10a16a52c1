import NIOCore
import NIOHTTP1

/// The first handler of every connection (next to the socket): enforces the header, idle and body timeouts
/// of `ConnectionState`, answers a request head that cannot be parsed with 400, and keeps the connection
/// registry told whether the connection is idle.
///
/// - It sees raw bytes, so a partial head (which no HTTP handler ever sees) still starts its clock.
/// - `ExchangeObserver` (behind the HTTP decoder) reports request heads and ends and response ends;
///   `PipelineEventWatcher` (behind the upgrade handler) reports parse errors and WebSocket upgrades.
/// - An error answer (400, 408) is written straight to the socket, then the connection's output is closed
///   and what the client still sends is read and dropped for a moment, so that the client reads the answer
///   instead of a reset.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a connection that was answered with an error keeps draining its client's bytes.
    static let lingerTime = TimeAmount.seconds(2)

    private let id: Int
    private let registry: ConnectionRegistry
    private let metrics: ServiceMetrics
    private var state: ConnectionState
    /// Whether Hummingbird's HTTP handling has the connection (after its first head); it answers later
    /// parse errors itself.
    private var handedOff = false
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?

    init(id: Int, limits: ConnectionLimits, registry: ConnectionRegistry, metrics: ServiceMetrics) {
        self.id = id
        self.registry = registry
        self.metrics = metrics
        state = ConnectionState(limits: limits, openedAt: .now)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        rearm()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state.phase != .closing else { return }  // an error was answered: the rest is dropped
        state.bytesArrived(at: .now)
        rearm()
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if state.phase == .closing, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)  // the client has sent everything and read the answer
            return
        }
        if event is ChannelShouldQuiesceEvent, state.isIdle {  // shutdown: no request to finish here
            change { $0.closing() }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Reports from the other handlers

    /// Hummingbird's HTTP handling took over the connection.
    func handedOffToHTTP() { handedOff = true }

    func requestHead() { change { $0.requestHead(at: .now) } }
    func requestEnd() { change { $0.requestEnd(at: .now) } }
    func responseEnd() { change { $0.responseEnd(at: .now) } }
    func upgraded() { change { $0.upgraded() } }

    /// The HTTP decoder could not parse what the client sent: 400, then the connection closes. Once
    /// Hummingbird has the connection, it writes the 400 itself (and closes only its output).
    func parseFailed(_ error: HTTPParserError) {
        // A connection that closed mid-request (`invalidEOFState`) has no one left to answer.
        guard state.phase != .closing, error != .invalidEOFState else { return }
        metrics.connectionClosed(.malformed)
        if handedOff {
            change { $0.closing() }
            context?.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { [self] in context?.close(promise: nil) }
        } else {
            answerAndClose(RawResponse.malformed(Self.describe(error)))
        }
    }

    // MARK: Deadlines

    private func change(_ update: (inout ConnectionState) -> Void) {
        let wasIdle = state.isIdle
        update(&state)
        if state.isIdle != wasIdle { registry.setIdle(id, since: state.isIdle ? state.awaitingSince : nil) }
        rearm()
    }

    /// Makes sure a timer fires no later than the state's deadline (an early one re-checks and re-arms).
    private func rearm() {
        guard let deadline = state.deadline else { return cancelTimer() }
        if let timerDeadline, timerDeadline <= deadline.at { return }
        cancelTimer()
        guard let context else { return }
        timerDeadline = deadline.at
        let delay = max(.zero, ContinuousClock.now.duration(to: deadline.at))
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
            timer = nil
            timerDeadline = nil
            expireIfDue()
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }

    private func expireIfDue() {
        guard let context, let deadline = state.deadline else { return }
        guard ContinuousClock.now >= deadline.at else { return rearm() }
        switch deadline.expiry {
        case .header:
            metrics.connectionClosed(.headerTimeout)
            if state.hasPartialHead { return answerAndClose(RawResponse.headerTimeout(state.limits.headerTimeout)) }
        case .idle:
            metrics.connectionClosed(.idleTimeout)
        case .body:
            metrics.connectionClosed(.bodyTimeout)
        }
        change { $0.closing() }
        context.close(promise: nil)
    }

    /// Writes `response` to the socket, closes the output once it is out, drops what the client still sends,
    /// and closes for good when the client is done or `lingerTime` has passed.
    private func answerAndClose(_ response: [UInt8]) {
        guard let context else { return }
        change { $0.closing() }
        let written = context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: response)))
        written.assumeIsolated().whenComplete { [self] result in
            guard let context = self.context else { return }
            if case .failure = result { return context.close(promise: nil) }
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
        }
    }

    /// What was wrong with a request, in words.
    private static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .headerOverflow: "the request head is too large"
        case .invalidContentLength: "invalid Content-Length"
        case .unexpectedContentLength: "unexpected Content-Length"
        case .invalidMethod: "not an HTTP/1 request"
        case .invalidVersion: "unsupported HTTP version"
        case .invalidURL: "invalid request target"
        case .invalidChunkSize: "invalid chunked body"
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant: "invalid request line or header line"
        default: "\(error)"
        }
    }
}
