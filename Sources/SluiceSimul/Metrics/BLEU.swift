import Foundation

/// BLEU as sacreBLEU 2.6.0 computes it with its defaults: `13a` tokenization, case kept, n-grams up to 4,
/// `exp` smoothing (mteval's: the k-th order with no match gets precision 1/(2^k · total)), the brevity penalty
/// on corpus lengths, one reference per segment. Scores are on sacreBLEU's 0–100 scale.
///
/// The corpus score pools the n-gram statistics of all segments before computing precisions (not a mean of
/// sentence scores). The sentence score is `sacrebleu.sentence_bleu`'s: the same with `effective_order`, which
/// stops at the first order the hypothesis has no n-grams of.
public struct BLEU: Sendable {
    /// The highest n-gram order.
    public static let maxOrder = 4
    private let tokenizer = Tokenizer13a()

    public init() {}

    /// Corpus BLEU of `hypotheses` against `references`, segment by segment.
    public func corpusScore(hypotheses: [String], references: [String]) throws(QualityInputError) -> BLEUScore {
        var statistics = BLEUStatistics()
        for (hypothesis, reference) in try QualityInputError.pairs(hypotheses, references) {
            statistics.add(segmentStatistics(hypothesis: hypothesis, reference: reference))
        }
        return statistics.score(effectiveOrder: false)
    }

    /// Sentence BLEU of one hypothesis against one reference (effective order, as `sentence_bleu`).
    public func sentenceScore(hypothesis: String, reference: String) -> BLEUScore {
        segmentStatistics(hypothesis: hypothesis, reference: reference).score(effectiveOrder: true)
    }

    /// One segment's lengths and clipped n-gram counts (sacreBLEU's `_compute_segment_statistics`).
    private func segmentStatistics(hypothesis: String, reference: String) -> BLEUStatistics {
        let hypothesisNgrams = ngramCounts(hypothesis)
        let referenceNgrams = ngramCounts(reference)
        var statistics = BLEUStatistics()
        statistics.hypothesisLength = hypothesisNgrams.tokenCount
        statistics.referenceLength = referenceNgrams.tokenCount
        for (ngram, count) in hypothesisNgrams.counts {
            let order = ngram.count - 1
            statistics.total[order] += count
            statistics.correct[order] += min(count, referenceNgrams.counts[ngram] ?? 0)
        }
        return statistics
    }

    /// The 1…4-gram counts of a segment after `rstrip` and tokenization; tokens are compared scalar for scalar.
    private func ngramCounts(_ segment: String) -> (counts: [[[Unicode.Scalar]]: Int], tokenCount: Int) {
        let tokens = tokenizer.tokens(PythonText.trimmingTrailingWhitespace(Array(segment.unicodeScalars)))
        var counts: [[[Unicode.Scalar]]: Int] = [:]
        for order in 1...Self.maxOrder {
            counts.merge(tokens.ngramCounts(order: order), uniquingKeysWith: +)
        }
        return (counts, tokens.count)
    }
}

/// A BLEU score with the statistics sacreBLEU prints next to it.
public struct BLEUScore: Sendable, Equatable, CustomStringConvertible {
    /// BLEU on the 0–100 scale.
    public var score: Double
    /// Matched (clipped) n-grams per order, 1…4.
    public var correct: [Int]
    /// Hypothesis n-grams per order, 1…4.
    public var total: [Int]
    /// The (smoothed) n-gram precisions per order, 0–100.
    public var precisions: [Double]
    /// The brevity penalty, 0…1.
    public var brevityPenalty: Double
    /// Hypothesis tokens, summed over the corpus.
    public var hypothesisLength: Int
    /// Reference tokens, summed over the corpus.
    public var referenceLength: Int

    /// sacreBLEU's line, e.g. `BLEU = 29.06 83.3/40.0/25.0/16.7 (BP = 0.846 ratio = 0.857 hyp_len = 6 ref_len = 7)`.
    public var description: String {
        let ratio = referenceLength > 0 ? Double(hypothesisLength) / Double(referenceLength) : 0
        let precisionText = precisions.map { fixed($0, digits: 1) }.joined(separator: "/")
        return "BLEU = \(fixed(score, digits: 2)) \(precisionText) (BP = \(fixed(brevityPenalty, digits: 3)) "
            + "ratio = \(fixed(ratio, digits: 3)) hyp_len = \(hypothesisLength) ref_len = \(referenceLength))"
    }
}

/// The sufficient statistics of BLEU, summed over segments.
struct BLEUStatistics {
    var hypothesisLength = 0
    var referenceLength = 0
    var correct = [Int](repeating: 0, count: BLEU.maxOrder)
    var total = [Int](repeating: 0, count: BLEU.maxOrder)

    mutating func add(_ other: BLEUStatistics) {
        hypothesisLength += other.hypothesisLength
        referenceLength += other.referenceLength
        for order in 0..<BLEU.maxOrder {
            correct[order] += other.correct[order]
            total[order] += other.total[order]
        }
    }

    /// sacreBLEU's `compute_bleu` with `exp` smoothing.
    func score(effectiveOrder: Bool) -> BLEUScore {
        var brevityPenalty = 1.0
        if hypothesisLength < referenceLength {
            brevityPenalty = hypothesisLength > 0 ? exp(1 - Double(referenceLength) / Double(hypothesisLength)) : 0
        }
        var precisions = [Double](repeating: 0, count: BLEU.maxOrder)
        var result = BLEUScore(
            score: 0, correct: correct, total: total, precisions: precisions, brevityPenalty: brevityPenalty,
            hypothesisLength: hypothesisLength, referenceLength: referenceLength)
        // No match at any order: 0, with unsmoothed zero precisions (sacreBLEU #141).
        guard correct.contains(where: { $0 > 0 }) else { return result }

        var smoothing = 1.0
        var usedOrders = BLEU.maxOrder
        for order in 0..<BLEU.maxOrder {
            if total[order] == 0 { break }
            if effectiveOrder { usedOrders = order + 1 }
            if correct[order] == 0 {
                smoothing *= 2
                precisions[order] = 100 / (smoothing * Double(total[order]))
            } else {
                precisions[order] = 100 * Double(correct[order]) / Double(total[order])
            }
        }
        let meanLog = precisions[..<usedOrders].map(flooredLog).reduce(0, +) / Double(usedOrders)
        result.precisions = precisions
        result.score = brevityPenalty * exp(meanLog)
        return result
    }
}

/// sacreBLEU's `my_log`: the natural log, with log 0 floored to −9999999999 so that a missing order gives 0.
private func flooredLog(_ value: Double) -> Double { value == 0 ? -9_999_999_999 : log(value) }

/// Python's `f"{value:.{digits}f}"`.
private func fixed(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
