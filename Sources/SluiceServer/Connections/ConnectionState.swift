/// Where one connection is in its HTTP exchanges, and by when it must next show progress: a pure state
/// machine, fed by the connection's handlers and tested without sockets.
///
/// - `awaitingRequest`: before the first request, or after a response (keep-alive). A new connection must
///   send a whole request head within the header timeout; a kept-alive one may wait for the idle timeout,
///   and once the next head's first byte arrives, it must be whole within the header timeout.
/// - `exchanging`: a head has arrived. While its body is arriving, a gap of the idle timeout closes it;
///   once the request is read, the server is working on the answer and no timeout applies.
/// - `webSocket`: upgraded; the stream session times out silence itself (its pings keep the bytes flowing).
/// - `closing`: the server has answered an error and is closing; what arrives is discarded.
/// Only a connection awaiting a request may be closed to make room for a new one.
struct ConnectionState {
    typealias Instant = ContinuousClock.Instant

    enum Phase: Equatable {
        case awaitingRequest
        case exchanging
        case webSocket
        case closing
    }

    /// Why a connection's deadline closed it.
    enum Expiry: String, Equatable, CaseIterable {
        /// A request head did not arrive whole in time (408 when some of it had).
        case header
        /// A kept-alive connection sent no request in time.
        case idle
        /// A request body stopped arriving.
        case body
    }

    let limits: ConnectionLimits
    private(set) var phase = Phase.awaitingRequest
    /// Request heads whose end has not arrived, and responses not yet ended.
    private var openRequests = 0
    private var openResponses = 0
    /// Requests answered on this connection.
    private(set) var servedRequests = 0
    /// When the connection last started waiting for a request (it opened, or a response ended).
    private(set) var awaitingSince: Instant
    /// The first byte of the next request head, while awaiting one.
    private(set) var headStarted: Instant?
    private var lastByte: Instant

    init(limits: ConnectionLimits, openedAt now: Instant) {
        self.limits = limits
        awaitingSince = now
        lastByte = now
    }

    /// Whether the connection may be closed to make room: it is waiting for a request.
    var isIdle: Bool { phase == .awaitingRequest }

    /// Whether a partial request head has arrived (an error answer then goes out before the close).
    var hasPartialHead: Bool { phase == .awaitingRequest && headStarted != nil }

    /// Bytes arrived from the client.
    mutating func bytesArrived(at now: Instant) {
        lastByte = now
        if phase == .awaitingRequest, headStarted == nil { headStarted = now }
    }

    /// A request head was decoded.
    mutating func requestHead(at now: Instant) {
        guard phase == .awaitingRequest || phase == .exchanging else { return }
        phase = .exchanging
        openRequests += 1
        openResponses += 1
        headStarted = nil
        lastByte = now
    }

    /// A request's body ended.
    mutating func requestEnd(at now: Instant) {
        guard phase == .exchanging else { return }
        openRequests = max(0, openRequests - 1)
        settle(at: now)
    }

    /// A response's last part was written.
    mutating func responseEnd(at now: Instant) {
        guard phase == .exchanging else { return }
        openResponses = max(0, openResponses - 1)
        settle(at: now)
    }

    /// The connection became a WebSocket.
    mutating func upgraded() {
        guard phase != .closing else { return }
        phase = .webSocket
    }

    /// The server has answered an error and is closing the connection.
    mutating func closing() {
        phase = .closing
    }

    /// When the connection must have progressed, and why it is closed if it has not; nil when no deadline
    /// applies (an answer is being worked on, a WebSocket, a connection already closing).
    var deadline: (at: Instant, expiry: Expiry)? {
        switch phase {
        case .awaitingRequest:
            if servedRequests == 0 { return (awaitingSince + limits.headerTimeout, .header) }
            if let headStarted { return (headStarted + limits.headerTimeout, .header) }
            return (awaitingSince + limits.idleTimeout, .idle)
        case .exchanging:
            return openRequests > 0 ? (lastByte + limits.idleTimeout, .body) : nil
        case .webSocket, .closing:
            return nil
        }
    }

    /// Back to awaiting a request once every request is read and answered.
    private mutating func settle(at now: Instant) {
        guard openRequests == 0, openResponses == 0 else { return }
        phase = .awaitingRequest
        servedRequests += 1
        awaitingSince = now
        headStarted = nil
    }
}
