/// Quality and latency of a set of simultaneous-translation runs against references, as SimulEval reports
/// them: corpus BLEU and chrF (sacreBLEU's defaults), and the mean per-sentence latency.
public struct SimulEvaluation: Sendable {
    public var bleu: Double
    public var chrF: Double
    /// In seconds of source audio (LAAL etc. in `LatencyMetric` terms).
    public var seconds: [LatencyMetric: Double]
    /// Computation-aware, in seconds.
    public var computationAware: [LatencyMetric: Double]
    /// In source words, when every run had a source lane.
    public var words: [LatencyMetric: Double]?
    public var instances: Int

    /// Scores `logs` against `references` (one each, in order); `paced` says the runs were fed at real time.
    public init(logs: [EventLog], references: [String], paced: Bool) throws(QualityInputError) {
        let hypotheses = logs.map(\.targetText)
        bleu = try BLEU().corpusScore(hypotheses: hypotheses, references: references).score
        chrF = try ChrF().corpusScore(hypotheses: hypotheses, references: references)
        let timed = zip(logs, references).map { $0.secondsInstance(reference: $1, paced: paced) }
        seconds = LatencyScorer().corpusScores(over: timed)
        computationAware = LatencyScorer(computationAware: true).corpusScores(over: timed)
        let counted = zip(logs, references).compactMap { $0.wordsInstance(reference: $1) }
        words = counted.count == logs.count ? LatencyScorer().corpusScores(over: counted) : nil
        instances = logs.count
    }
}
