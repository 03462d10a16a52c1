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

    public init(host: String, port: Int, maxSessions: Int, maxUploadBytes: Int, drainTimeout: Duration) {
        self.host = host
        self.port = port
        self.maxSessions = maxSessions
        self.maxUploadBytes = maxUploadBytes
        self.drainTimeout = drainTimeout
    }
}
