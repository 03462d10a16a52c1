import Foundation
import SluiceWhisper

/// SimulEval's instance log (`instances.log`, one JSON object a line), so that SimulEval's own scorers
/// (`simuleval --score-only --output DIR`) can score Sluice's runs and be compared with ``SimulEvaluation``.
///
/// Fields as SimulEval 1.1.4's `Instance.summarize()` writes them for speech input and text output
/// (`simuleval/evaluator/instance.py`): `index`, `prediction` (the words joined by single spaces), `delays` and
/// `elapsed` (milliseconds, one per target word), `prediction_length` (words), `reference`, `source` (SimulEval
/// writes the audio file's description lines; here the file's name, the only line) and `source_length`
/// (milliseconds). The evaluator reads it back into `LogInstance`, which uses `delays`, `elapsed`,
/// `source_length`, `reference` and `prediction`, and ignores the rest.
public enum SimulEvalLog {
    /// One instance's line (with its newline): run `log` on source `source`, scored against `reference`;
    /// `paced` as in ``EventLog/secondsInstance(reference:paced:)``.
    public static func line(index: Int, log: EventLog, reference: String, source: String, paced: Bool) -> String {
        let instance = log.secondsInstance(reference: reference, paced: paced)
        let milliseconds = { (seconds: Double) in JSONText.number(seconds * 1000, decimals: 3) }
        let words = log.writes.map { $0.word.trimmingCharacters(in: .whitespaces) }
        let fields: [(key: String, value: JSONText)] = [
            ("index", .integer(index)),
            ("prediction", .string(words.joined(separator: " "))),
            ("delays", .array(instance.delays.map(milliseconds))),
            ("elapsed", .array((instance.elapsed ?? []).map(milliseconds))),
            ("prediction_length", .integer(words.count)),
            ("reference", .string(reference)),
            ("source", .array([.string(source)])),
            ("source_length", milliseconds(instance.sourceLength)),
        ]
        return JSONText.object(fields).serialized + "\n"
    }
}
