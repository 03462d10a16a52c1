/// Why a window could not be decoded: a broken invariant of the search (non-finite logits, no live beam),
/// which NaN weights or non-finite features cause. It fails that input only, never the process.
public struct DecodingFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }

    /// Checks the log-probabilities of one search step: every value finite or −∞ (a suppressed token), and at
    /// least one token possible.
    static func check(_ logProbabilities: [Float], step: Int) throws {
        var possible = false
        for value in logProbabilities {
            if value.isFinite {
                possible = true
            } else if value.isNaN || value > 0 {
                throw DecodingFailure("the decoder produced non-finite scores at token \(step) (corrupt weights or audio)")
            }
        }
        if !possible { throw DecodingFailure("the decoder left no token possible at token \(step)") }
    }
}
