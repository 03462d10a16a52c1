import CSoxr

/// Streaming sample-rate conversion with libsoxr (float32 interleaved).
///
/// - `process` may be called with any chunk sizes; `flush` drains the filter at end of stream.
/// - Output for N input frames totals round(N × out / in) frames (libsoxr's accounting).
/// - Quality: `high` is SOXR_HQ (20-bit precision, stopband well below −100 dB); `veryHigh` is SOXR_VHQ.
public final class Resampler {
    /// libsoxr's quality recipe.
    public enum Quality: Sendable { case high, veryHigh }

    public let inputRate: Double
    public let outputRate: Double
    public let channels: Int
    private let handle: soxr_t
    private var output: [Float] = []

    public init(inputRate: Double, outputRate: Double, channels: Int, quality: Quality = .high) throws {
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(UInt(quality == .high ? SOXR_HQ : SOXR_VHQ), 0)
        var runtime = soxr_runtime_spec(1)
        var error: soxr_error_t?
        guard let handle = soxr_create(inputRate, outputRate, UInt32(channels), &error, &ioSpec, &qualitySpec, &runtime),
            error == nil
        else {
            throw AudioError("resampler: cannot convert \(inputRate) Hz to \(outputRate) Hz: \(error.map { String(cString: $0) } ?? "unknown error")")
        }
        self.handle = handle
    }

    deinit { soxr_delete(handle) }

    /// Converts one chunk of interleaved input; returns the output ready so far.
    public func process(_ input: [Float]) -> [Float] {
        run(input, count: input.count / channels)
    }

    /// Drains the filter's delay line at end of stream.
    public func flush() -> [Float] {
        var result: [Float] = []
        while true {
            let chunk = run(nil, count: 0)
            if chunk.isEmpty { break }
            result += chunk
        }
        return result
    }

    private func run(_ input: [Float]?, count frames: Int) -> [Float] {
        let capacity = Int((Double(frames) * outputRate / inputRate).rounded(.up)) + 1024
        if output.count < capacity * channels { output = [Float](repeating: 0, count: capacity * channels) }
        var done = 0
        output.withUnsafeMutableBufferPointer { out in
            if let input {
                input.withUnsafeBufferPointer { samples in
                    _ = soxr_process(handle, samples.baseAddress, frames, nil, out.baseAddress, capacity, &done)
                }
            } else {
                _ = soxr_process(handle, nil, 0, nil, out.baseAddress, capacity, &done)
            }
        }
        return Array(output[0..<(done * channels)])
    }
}

/// Channel reduction for interleaved audio.
public enum Downmix {
    /// The average of `channels` interleaved channels, frame by frame.
    public static func toMono(_ interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let frames = interleaved.count / channels
        let scale = 1 / Float(channels)
        var mono = [Float](repeating: 0, count: frames)
        interleaved.withUnsafeBufferPointer { input in
            for frame in 0..<frames {
                var sum: Float = 0
                for channel in 0..<channels { sum += input[frame * channels + channel] }
                mono[frame] = sum * scale
            }
        }
        return mono
    }
}
