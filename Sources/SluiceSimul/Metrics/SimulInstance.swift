/// One translated sentence as SimulEval's latency scorers see it: when each target unit was written, and how
/// long the source is.
///
/// Units are the caller's, as long as delays and `sourceLength` share them. SimulEval 1.1.4 uses:
/// - text input: `delays[i]` is the number of source words read when target unit `i` was written, and
///   `sourceLength` is the number of source words (`TextInputInstance.step_to_delay` returns the step);
/// - speech input: `delays[i]` is the milliseconds of source audio read (samples read × 1000 / sample rate) and
///   `sourceLength` is the whole source's duration in milliseconds (`SpeechInputInstance.source_length`).
///
/// A prediction of several words repeats the same delay once per word (`TextOutputInstance.receive_prediction`).
public struct SimulInstance: Sendable, Equatable {
    /// When each target unit was written, in source units read (D_i); one entry per hypothesis word.
    public var delays: [Double]
    /// The computation-aware timestamps, one per target unit; nil when not measured (text input).
    ///
    /// For speech input SimulEval 1.1.4 stores, when a prediction arrives
    /// (`SpeechInputInstance.step_to_elapsed`):
    /// `elapsed = ms of source audio read so far + (now − start_time) × 1000`, where `start_time` is the wall
    /// clock at the instance's first `send_source` (step 0). So it is the delay plus the wall-clock
    /// milliseconds spent since the instance started, all of them counted, including the agent's computation on
    /// earlier chunks; the evaluation feeds audio as fast as the agent consumes it, so that wall time is the
    /// cumulative computation time. For text input `step_to_elapsed` returns 0 and the computation-aware
    /// scorers refuse to run.
    public var elapsed: [Double]?
    /// |X|: the source length in the delays' unit (words, or milliseconds of audio). Must be positive:
    /// SimulEval divides by it.
    public var sourceLength: Double
    /// |Y_ref|: the reference's length in target units, or nil when there is no reference.
    public var referenceLength: Int?

    /// |Y_hyp|: the hypothesis length, which SimulEval takes as the number of delays.
    public var hypothesisLength: Int { delays.count }

    public init(delays: [Double], elapsed: [Double]? = nil, sourceLength: Double, referenceLength: Int? = nil) {
        self.delays = delays
        self.elapsed = elapsed
        self.sourceLength = sourceLength
        self.referenceLength = referenceLength
    }

    /// The reference length in words exactly as SimulEval counts it: `len(reference.split(" "))`.
    ///
    /// It splits on single spaces only, so two spaces in a row count an empty word, a trailing newline stays
    /// attached to the last word, and the empty string counts 1.
    public static func referenceWordCount(_ reference: String) -> Int {
        reference.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false).count
    }
}
