/// Scores latency as SimulEval 1.1.4's scorers do: per sentence, then the corpus score as the plain mean of the
/// per-sentence scores.
public struct LatencyScorer: Sendable, Equatable {
    /// SimulEval's `use_ref_len` (default true; `--no-use-ref-len` turns it off): |Y| is the reference length
    /// when the instance has a reference, else the hypothesis length.
    public var useReferenceLength: Bool
    /// Score the `elapsed` timestamps instead of the delays (SimulEval's `_CA` metrics, speech input only).
    public var computationAware: Bool

    public init(useReferenceLength: Bool = true, computationAware: Bool = false) {
        self.useReferenceLength = useReferenceLength
        self.computationAware = computationAware
    }

    /// One sentence's score, or nil when the instance has no timestamps to score (an empty hypothesis, or no
    /// `elapsed` in computation-aware mode): SimulEval skips such instances with a warning.
    public func score(_ metric: LatencyMetric, for instance: SimulInstance) -> Double? {
        let timestamps = computationAware ? instance.elapsed ?? [] : instance.delays
        guard let first = timestamps.first, let last = timestamps.last else { return nil }
        let source = instance.sourceLength
        let target = targetLength(of: instance, timestampCount: timestamps.count)
        switch metric {
        case .averageLagging:
            return LatencyFormula.averageLagging(timestamps, sourceLength: source, targetLength: target)
        case .lengthAdaptiveAverageLagging:
            return LatencyFormula.lengthAdaptiveAverageLagging(timestamps, sourceLength: source, targetLength: target)
        case .differentiableAverageLagging:
            return LatencyFormula.differentiableAverageLagging(timestamps, sourceLength: source)
        case .averageProportion:
            return LatencyFormula.averageProportion(timestamps, sourceLength: source, targetLength: target)
        case .startOffset:
            return first
        case .endOffset:
            return last - source
        }
    }

    /// The corpus score: the mean over the instances that could be scored, or nil when none could (SimulEval's
    /// `statistics.mean` of nothing raises).
    public func corpusScore(_ metric: LatencyMetric, over instances: [SimulInstance]) -> Double? {
        let scores = instances.compactMap { score(metric, for: $0) }
        guard !scores.isEmpty else { return nil }
        return scores.reduce(0, +) / Double(scores.count)
    }

    /// Every metric's corpus score, keyed by metric; metrics with no scorable instance are absent.
    public func corpusScores(over instances: [SimulInstance]) -> [LatencyMetric: Double] {
        var scores: [LatencyMetric: Double] = [:]
        for metric in LatencyMetric.allCases {
            scores[metric] = corpusScore(metric, over: instances)
        }
        return scores
    }

    /// SimulEval's `get_delays_lengths`: the reference length when asked for and present, else the number of
    /// timestamps.
    private func targetLength(of instance: SimulInstance, timestampCount: Int) -> Int {
        guard useReferenceLength, let reference = instance.referenceLength else { return timestampCount }
        return reference
    }
}
