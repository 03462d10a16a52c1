import Foundation

/// The reference's logit rules before each sampled token (openai-whisper `decoding.py`):
/// suppress blank at the start, suppress listed tokens, then the timestamp rules.
struct LogitFilters: Sendable {
    let tokens: SpecialTokens
    let suppressed: [Int]
    let suppressedAtBegin: [Int]
    /// Latest allowed first timestamp index (1.0 s / 20 ms = 50).
    let maxInitialTimestampIndex: Int
    let withTimestamps: Bool

    /// Applies every rule to `logits` given the tokens sampled so far (prompt excluded).
    func apply(to logits: inout [Float], sampled: [Int]) {
        if sampled.isEmpty { for token in suppressedAtBegin { logits[token] = -.infinity } }
        for token in suppressed where token < logits.count { logits[token] = -.infinity }
        guard withTimestamps else {
            logits[tokens.noTimestamps] = -.infinity
            for token in tokens.timestampBegin..<logits.count { logits[token] = -.infinity }
            return
        }
        applyTimestampRules(to: &logits, sampled: sampled)
    }

    private func applyTimestampRules(to logits: inout [Float], sampled: [Int]) {
        let begin = tokens.timestampBegin
        logits[tokens.noTimestamps] = -.infinity
        let lastWasTimestamp = sampled.last.map(tokens.isTimestamp) ?? false
        let penultimateWasTimestamp = sampled.count < 2 || tokens.isTimestamp(sampled[sampled.count - 2])
        if lastWasTimestamp {
            if penultimateWasTimestamp {
                for token in begin..<logits.count { logits[token] = -.infinity }  // must be text or end
            } else {
                for token in 0..<tokens.endOfText { logits[token] = -.infinity }  // must be a timestamp or end
            }
        }
        if let lastTimestamp = sampled.last(where: tokens.isTimestamp) {
            // Timestamps never go back; a new segment cannot have zero length.
            let floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1
            for token in begin..<min(floor, logits.count) { logits[token] = -.infinity }
        }
        if sampled.isEmpty {
            for token in 0..<begin { logits[token] = -.infinity }
            let lastAllowed = begin + maxInitialTimestampIndex
            if lastAllowed + 1 < logits.count { for token in (lastAllowed + 1)..<logits.count { logits[token] = -.infinity } }
        }
        // If the timestamps together are likelier than any single text token, sample a timestamp.
        let logProbabilities = LogitFilters.logSoftmax(logits)
        let timestampMass = LogitFilters.logSumExp(logProbabilities[begin...])
        let bestText = logProbabilities[0..<begin].max() ?? -.infinity
        if timestampMass > bestText {
            for token in 0..<begin { logits[token] = -.infinity }
        }
    }

    static func logSoftmax(_ logits: [Float]) -> [Float] {
        let total = logSumExp(logits[...])
        return logits.map { $0 - total }
    }

    static func logSumExp(_ values: ArraySlice<Float>) -> Float {
        guard let top = values.max(), top > -.infinity else { return -.infinity }
        var sum: Float = 0
        for value in values { sum += exp(value - top) }
        return top + log(sum)
    }
}
