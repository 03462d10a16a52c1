/// chrF as sacreBLEU 2.6.0 computes it with its defaults: character n-grams of orders 1…6, no word n-grams,
/// β = 2, case kept, whitespace removed before counting. Scores are on sacreBLEU's 0–100 scale.
///
/// sacreBLEU's default (`eps_smoothing=False`) averages precision and recall over the *effective* orders, those
/// where both hypothesis and reference have n-grams, and then takes one F-β of the averages; with no effective
/// order, or no match at all, the score is 0. An order whose reference has no n-grams counts no hypothesis
/// n-grams either. The corpus score pools the counts of all segments first.
public struct ChrF: Sendable {
    /// The highest character n-gram order.
    public static let characterOrder = 6
    /// The weight of recall against precision.
    public static let beta = 2.0

    public init() {}

    /// Corpus chrF of `hypotheses` against `references`, segment by segment.
    public func corpusScore(hypotheses: [String], references: [String]) throws(QualityInputError) -> Double {
        var statistics = [ChrFOrderStatistics](repeating: ChrFOrderStatistics(), count: Self.characterOrder)
        for (hypothesis, reference) in try QualityInputError.pairs(hypotheses, references) {
            for (order, segment) in segmentStatistics(hypothesis: hypothesis, reference: reference).enumerated() {
                statistics[order].add(segment)
            }
        }
        return Self.score(statistics)
    }

    /// Sentence chrF of one hypothesis against one reference.
    public func sentenceScore(hypothesis: String, reference: String) -> Double {
        Self.score(segmentStatistics(hypothesis: hypothesis, reference: reference))
    }

    /// Per order: hypothesis n-grams, reference n-grams and clipped matches (sacreBLEU's `_get_match_statistics`).
    private func segmentStatistics(hypothesis: String, reference: String) -> [ChrFOrderStatistics] {
        let hypothesisNgrams = Self.characterNgrams(hypothesis)
        let referenceNgrams = Self.characterNgrams(reference)
        return zip(hypothesisNgrams, referenceNgrams).map { hypothesisCounts, referenceCounts in
            var statistics = ChrFOrderStatistics()
            for (ngram, count) in hypothesisCounts {
                statistics.hypothesis += count
                statistics.matched += min(count, referenceCounts[ngram] ?? 0)
            }
            statistics.reference = referenceCounts.values.reduce(0, +)
            if referenceCounts.isEmpty { statistics.hypothesis = 0 }
            return statistics
        }
    }

    /// The character n-gram counts of orders 1…6, whitespace removed; compared scalar for scalar.
    private static func characterNgrams(_ segment: String) -> [[[Unicode.Scalar]: Int]] {
        let characters = PythonText.removingWhitespace(Array(segment.unicodeScalars))
        return (1...characterOrder).map { characters.ngramCounts(order: $0) }
    }

    /// sacreBLEU's `_compute_f_score` without ε smoothing.
    private static func score(_ statistics: [ChrFOrderStatistics]) -> Double {
        var precisionSum = 0.0
        var recallSum = 0.0
        var effectiveOrders = 0
        for order in statistics where order.hypothesis > 0 && order.reference > 0 {
            precisionSum += Double(order.matched) / Double(order.hypothesis)
            recallSum += Double(order.matched) / Double(order.reference)
            effectiveOrders += 1
        }
        guard effectiveOrders > 0 else { return 0 }
        let precision = precisionSum / Double(effectiveOrders)
        let recall = recallSum / Double(effectiveOrders)
        guard precision + recall > 0 else { return 0 }
        let factor = beta * beta
        return 100 * ((1 + factor) * precision * recall / (factor * precision + recall))
    }
}

/// One n-gram order's counts for chrF.
struct ChrFOrderStatistics {
    var hypothesis = 0
    var reference = 0
    var matched = 0

    mutating func add(_ other: ChrFOrderStatistics) {
        hypothesis += other.hypothesis
        reference += other.reference
        matched += other.matched
    }
}
