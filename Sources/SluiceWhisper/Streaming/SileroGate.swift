import SluiceVAD

/// The streaming speech gate on Silero VAD: the speech probability of every 512-sample window as audio
/// arrives, and whether a span of the stream holds speech (a window at or above `threshold`) or ends in a
/// pause (every window below the negative threshold), with faster-whisper's thresholds.
public struct SileroGate: Sendable {
    private var stream: SileroVADStream
    private let threshold: Float
    private let negativeThreshold: Float
    /// Probabilities of windows `firstWindow...`: those the buffer may still hold.
    private var probabilities: [Float] = []
    private var firstWindow = 0

    static let window = SileroNetwork.windowSamples

    public init(network: SileroNetwork, options: VADOptions = VADOptions()) {
        stream = SileroVADStream(network: network)
        threshold = Float(options.threshold)
        negativeThreshold = Float(options.negativeThreshold ?? max(options.threshold - 0.15, 0.01))
    }

    /// Adds the stream's next samples.
    public mutating func push(_ samples: [Float]) {
        probabilities += stream.push(samples)
    }

    /// Whether a window that starts at or after stream sample `start` is speech.
    public func hearsSpeech(from start: Int) -> Bool {
        windows(from: start).contains { $0 >= threshold }
    }

    /// Whether the windows of the stream's last `seconds` are all silence, after at least half a second of
    /// other audio from stream sample `start` on.
    public func endsInPause(from start: Int, seconds: Double) -> Bool {
        let span = windows(from: start)
        let pause = Int((seconds * 16000 / Double(Self.window)).rounded(.up))
        return span.count > pause + 16000 / (2 * Self.window) && span.suffix(pause).allSatisfy { $0 < negativeThreshold }
    }

    /// Forgets the windows that end before stream sample `start` (the buffer was cut there).
    public mutating func forget(before start: Int) {
        let drop = min(probabilities.count, max(0, start / Self.window - firstWindow))
        probabilities.removeFirst(drop)
        firstWindow += drop
    }

    private func windows(from start: Int) -> ArraySlice<Float> {
        let first = (start + Self.window - 1) / Self.window - firstWindow
        return probabilities[min(probabilities.count, max(0, first))...]
    }
}
