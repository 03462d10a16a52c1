import CKernels
import Foundation

/// The rules applied to the logits before each token is chosen, as CTranslate2 applies them for
/// faster-whisper: suppressed tokens, suppressed-at-begin tokens, then the timestamp rules.
struct LogitFilters: Sendable {
    let tokens: SpecialTokens
    let suppressed: [Int]
    let suppressedAtBegin: [Int]
    /// Latest allowed first timestamp, as an index (1.0 s / 20 ms = 50).
    let maxInitialTimestampIndex: Int
    let withTimestamps: Bool

    /// Applies every rule to `logits` given the tokens sampled so far in this window (prompt excluded).
    func apply(to logits: inout [Float], sampled: [Int]) {
        let vocabulary = logits.count
        logits.withUnsafeMutableBufferPointer { x in
            for token in suppressed where token < vocabulary { x[token] = -.infinity }
            if sampled.isEmpty { for token in suppressedAtBegin where token < vocabulary { x[token] = -.infinity } }
            guard withTimestamps else { return }
            applyTimestampRules(to: x, sampled: sampled)
        }
    }

    private func applyTimestampRules(to x: UnsafeMutableBufferPointer<Float>, sampled: [Int]) {
        let begin = tokens.timestampBegin, end = x.count
        x[tokens.noTimestamps] = -.infinity
        guard let last = sampled.last else {
            // The first token is a timestamp no later than the maximum initial one.
            for token in 0..<begin { x[token] = -.infinity }
            for token in min(end, begin + maxInitialTimestampIndex + 1)..<end { x[token] = -.infinity }
            return
        }
        var checkTimestampMass = true
        if tokens.isTimestamp(last) {
            let penultimate = sampled.count >= 2 ? sampled[sampled.count - 2] : last
            if tokens.isTimestamp(penultimate) {
                // A closed pair: text or end of text comes next.
                for token in begin..<end { x[token] = -.infinity }
                checkTimestampMass = false
            } else {
                // An open segment: it closes with a timestamp no earlier than its start, or the text ends.
                for token in 0..<tokens.endOfText { x[token] = -.infinity }
                for token in begin..<last { x[token] = -.infinity }
            }
        } else if let lastTimestamp = sampled.last(where: tokens.isTimestamp) {
            // Timestamps never go back, and a new segment cannot have zero length.
            for token in begin...min(lastTimestamp, end - 1) { x[token] = -.infinity }
        }
        guard checkTimestampMass else { return }
        // If the timestamps together are likelier than any single text token, sample a timestamp. (Both
        // sides are log-probabilities minus the same normaliser, so the logits compare directly.)
        let timestampMass = LogMath.logSumExp(UnsafeBufferPointer(rebasing: x[begin...]))
        let bestText = x[0..<begin].max() ?? -.infinity
        if timestampMass > bestText {
            for token in 0..<begin { x[token] = -.infinity }
        }
    }
}

/// Log-domain helpers over logits.
enum LogMath {
    static func logSoftmax(_ logits: [Float]) -> [Float] {
        let total = logSumExp(logits[...])
        return logits.map { $0 - total }
    }

    /// log(Σ exp(x)), vectorised (`CKernels`); −∞ when every value is −∞.
    static func logSumExp(_ values: UnsafeBufferPointer<Float>) -> Float {
        sluice_log_sum_exp(values.baseAddress!, Int32(values.count))
    }

    static func logSumExp(_ values: ArraySlice<Float>) -> Float {
        values.withUnsafeBufferPointer { logSumExp($0) }
    }
}
