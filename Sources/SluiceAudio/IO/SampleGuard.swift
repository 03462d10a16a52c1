/// The rule every decoded sample passes before it enters a pipeline: finite, and within full scale.
///
/// - A NaN or infinite sample is an error naming the input, the frame and the channel: no model can use it,
///   and letting it through turns a transcript empty or a resampled file into full-scale DC.
/// - A finite sample outside [-1, 1] (float audio that is not normalised, or a corrupt value such as 3e38) is
///   clipped to full scale and counted, as an integer encoder would clip it.
public struct SampleGuard: Sendable {
    /// Samples clipped to full scale so far.
    public private(set) var clipped = 0
    /// The first clipped sample's frame, for the warning.
    public private(set) var firstClippedFrame: Int64?

    public init() {}

    /// Checks `count` interleaved samples at the start of `samples`, whose first frame is `frame` of `input`.
    public mutating func check(_ samples: inout [Float], count: Int, channels: Int, frame: Int64, input: String) throws {
        try samples.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<count {
                let value = buffer[index]
                if value >= -1 && value <= 1 { continue }  // the common case; NaN fails both comparisons
                guard value.isFinite else {
                    let at = frame + Int64(index / channels)
                    let channel = channels > 1 ? ", channel \(index % channels + 1)" : ""
                    throw AudioError("\(input): sample \(at)\(channel) is \(value), not a finite number")
                }
                if firstClippedFrame == nil { firstClippedFrame = frame + Int64(index / channels) }
                buffer[index] = value > 0 ? 1 : -1
                clipped += 1
            }
        }
    }

    /// One line for stderr when samples were clipped, else nil.
    public func warning(input: String) -> String? {
        guard clipped > 0, let firstClippedFrame else { return nil }
        return "sluice: warning: \(input): \(clipped) sample\(clipped == 1 ? "" : "s") outside [-1, 1] clipped to full scale "
            + "(the first at sample \(firstClippedFrame)); float audio should be normalised to [-1, 1]"
    }
}
