/// How `sluice serve` listens and what it allows.
public struct ServiceConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (printed when the server is up).
    public var port: Int
    /// Concurrent sessions: WebSocket streams and transcription requests together.
    public var maxSessions: Int
    /// The largest request body a transcription request may send.
    public var maxUploadBytes: Int
    /// The largest WebSocket message (and frame) a stream client may send.
    public var maxMessageBytes = 1 << 20
    /// How long open sessions get to finish after SIGINT/SIGTERM.
    public var drainTimeout: Duration
    /// How long connections may take and stay, and how many may be open.
    public var connections = ConnectionLimits()
    /// The keys `/v1/` routes and streams require (none: open to all).
    public var apiKeys = APIKeys([])
    /// Origins whose browsers may call the API (`*`: any); none sends no CORS headers.
    public var corsOrigins: [String] = []
    /// How the request log lines are written.
    public var logFormat = LogFormat.text

    public init(host: String, port: Int, maxSessions: Int, maxUploadBytes: Int, drainTimeout: Duration) {
        self.host = host
        self.port = port
        self.maxSessions = maxSessions
        self.maxUploadBytes = maxUploadBytes
        self.drainTimeout = drainTimeout
    }
}

/// The bounds on connections that keep a flood of slow, idle or malformed ones from exhausting the server.
///
/// - A request's head must arrive whole within `headerTimeout` (of the connection opening, or of its first
///   byte on a kept-alive connection); otherwise the server answers 408 and closes.
/// - A kept-alive connection with no request, or a request body with no bytes, for `idleTimeout` is closed.
/// - A stream (WebSocket) with no message from its client for `streamIdleTimeout` gets an error event and a
///   1008 close; audio keeps a stream open however long it runs.
/// - At most `maxConnections` are open: past it, the connection idle longest (waiting for a request) is
///   closed to make room, or, when every connection is busy, the new one gets 503 and is closed.
public struct ConnectionLimits: Sendable, Equatable {
    public var headerTimeout: Duration = .seconds(10)
    public var idleTimeout: Duration = .seconds(30)
    public var streamIdleTimeout: Duration = .seconds(60)
    public var maxConnections = 1024
    /// The largest request header line, all header lines together, and the number of header lines.
    public var maxHeaderFieldBytes = 16 << 10
    public var maxHeaderBytes = 64 << 10
    public var maxHeaderFields = 100

    public init() {}
}
