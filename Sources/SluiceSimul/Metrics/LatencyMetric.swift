/// The latency metrics of SimulEval 1.1.4 (`simuleval/evaluator/scorers/latency_scorer.py`) that Sluice
/// reproduces, named as SimulEval's `--latency-metrics` names them.
///
/// ATD is left out: SimulEval picks its token durations by the instance's Python class (1 per text token, 300 ms
/// per speech word) and, when the evaluator re-reads its own log, takes the speech branch for text input too (its
/// quick start prints ATD 0.0), so there is no single definition to mirror.
public enum LatencyMetric: String, Sendable, CaseIterable {
    /// Average Lagging (STACL, arXiv 1810.08398).
    case averageLagging = "AL"
    /// Length-Adaptive Average Lagging (arXiv 2206.05807): AL with |Y| = max(|Y_ref|, |Y_hyp|).
    case lengthAdaptiveAverageLagging = "LAAL"
    /// Differentiable Average Lagging (arXiv 1906.05218).
    case differentiableAverageLagging = "DAL"
    /// Average Proportion (arXiv 1606.02012).
    case averageProportion = "AP"
    /// The delay of the first target unit.
    case startOffset = "StartOffset"
    /// The delay of the last target unit minus the source length (text output).
    case endOffset = "EndOffset"
}

/// The per-sentence formulas, rule for rule as SimulEval 1.1.4 writes them. Each takes the timestamps (delays,
/// or elapsed times for the computation-aware variant, never empty), |X| and the |Y| the scorer resolved.
enum LatencyFormula {
    /// `AL = (1/τ) Σ_{i=1..τ} (D_i − (i−1)/γ)`, γ = |Y|/|X|, τ the first i with D_i ≥ |X| (all of them if
    /// none is); if D_1 > |X| the answer is D_1.
    static func averageLagging(_ delays: [Double], sourceLength: Double, targetLength: Int) -> Double {
        lagging(delays, sourceLength: sourceLength, gamma: Double(targetLength) / sourceLength)
    }

    /// AL with γ = max(|Y_hyp|, |Y|)/|X|, so that writing more than the reference is not rewarded.
    static func lengthAdaptiveAverageLagging(_ delays: [Double], sourceLength: Double, targetLength: Int) -> Double {
        lagging(delays, sourceLength: sourceLength, gamma: Double(max(delays.count, targetLength)) / sourceLength)
    }

    /// `DAL = (1/|Y_hyp|) Σ (D'_i − (i−1)/γ)` with γ = |Y_hyp|/|X| (never the reference length),
    /// D'_1 = D_1 and D'_i = max(D_i, D'_{i−1} + 1/γ).
    static func differentiableAverageLagging(_ delays: [Double], sourceLength: Double) -> Double {
        let gamma = Double(delays.count) / sourceLength
        var total = 0.0
        var previous = 0.0
        for (index, delay) in delays.enumerated() {
            let adjusted = index == 0 ? delay : max(delay, previous + 1 / gamma)
            total += adjusted - Double(index) / gamma
            previous = adjusted
        }
        return total / Double(delays.count)
    }

    /// `AP = Σ D_i / (|X| · |Y|)`, with the scorer's |Y| (the reference length when there is one).
    static func averageProportion(_ delays: [Double], sourceLength: Double, targetLength: Int) -> Double {
        delays.reduce(0, +) / (sourceLength * Double(targetLength))
    }

    /// The lagging sum that AL and LAAL share, for a given γ.
    private static func lagging(_ delays: [Double], sourceLength: Double, gamma: Double) -> Double {
        if let first = delays.first, first > sourceLength { return first }
        var total = 0.0
        var tau = 0
        for (index, delay) in delays.enumerated() {
            total += delay - Double(index) / gamma
            tau = index + 1
            if delay >= sourceLength { break }
        }
        return total / Double(tau)
    }
}
