/// Silero VAD over a stream of 16 kHz mono samples: push audio, get the speech probability of each
/// 512-sample window it completes. Holds one stream's state (LSTM state, the previous window's last 64
/// samples, samples not yet a window); the network's weights are shared.
public struct SileroVADStream: Sendable {
    public let network: SileroNetwork
    private var state = SileroNetwork.State()
    private var context = [Float](repeating: 0, count: SileroNetwork.contextSamples)
    private var pending: [Float] = []
    /// Windows completed so far.
    public private(set) var windows = 0

    /// Windows run through the network in one batch.
    static let batchWindows = 256

    public init(network: SileroNetwork) { self.network = network }

    /// Adds samples; returns the probabilities of the windows they complete (window k covers samples
    /// 512k ..< 512(k + 1) of the stream).
    public mutating func push(_ samples: [Float]) -> [Float] {
        pending += samples
        let size = SileroNetwork.windowSamples, contextSize = SileroNetwork.contextSamples
        let complete = pending.count / size
        guard complete > 0 else { return [] }
        var probabilities: [Float] = []
        probabilities.reserveCapacity(complete)
        var first = 0
        while first < complete {
            let count = min(Self.batchWindows, complete - first)
            // count × 576: each window after the last 64 samples before it.
            var inputs = [Float](repeating: 0, count: count * SileroNetwork.inputSamples)
            for k in 0..<count {
                let start = (first + k) * size
                let row = k * SileroNetwork.inputSamples
                if first + k == 0 {
                    inputs.replaceSubrange(row..<(row + contextSize), with: context)
                } else {
                    inputs.replaceSubrange(row..<(row + contextSize), with: pending[(start - contextSize)..<start])
                }
                inputs.replaceSubrange((row + contextSize)..<(row + SileroNetwork.inputSamples), with: pending[start..<(start + size)])
            }
            probabilities += inputs.withUnsafeBufferPointer { network.probabilities($0, count: count, state: &state) }
            first += count
        }
        context = Array(pending[(complete * size - contextSize)..<(complete * size)])
        pending.removeFirst(complete * size)
        windows += complete
        return probabilities
    }

    /// Speech probabilities of a whole input as faster-whisper computes them: the samples padded with zeros
    /// to the next multiple of 512 (a whole window of zeros when already one), from a fresh state.
    public static func probabilities(of samples: [Float], network: SileroNetwork) -> [Float] {
        var stream = SileroVADStream(network: network)
        let padding = SileroNetwork.windowSamples - samples.count % SileroNetwork.windowSamples
        return stream.push(samples + [Float](repeating: 0, count: padding))
    }
}
