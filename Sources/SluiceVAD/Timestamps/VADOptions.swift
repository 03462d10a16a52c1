/// How speech probabilities become speech regions: faster-whisper's `VadOptions`, with its defaults.
public struct VADOptions: Sendable, Equatable {
    /// A window at or above this probability is speech.
    public var threshold: Double = 0.5
    /// Below this a window is silence; between the two it continues speech already started.
    /// nil: max(threshold − 0.15, 0.01).
    public var negativeThreshold: Double?
    /// Regions shorter than this are dropped.
    public var minSpeechDurationMs: Int = 0
    /// Regions longer than this are split (at a silence of at least 98 ms when there is one).
    public var maxSpeechDurationSeconds: Double = .infinity
    /// Silence that ends a region.
    public var minSilenceDurationMs: Int = 2000
    /// Audio kept on each side of a region.
    public var speechPadMs: Int = 400

    public init() {}
}
