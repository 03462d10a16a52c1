import ArgumentParser
import Foundation
import SluiceSimul

/// `sluice simul score`: simultaneous-translation evaluation.
struct Simul: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simultaneous translation: score runs as SimulEval does.",
        subcommands: [Score.self]
    )

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score event logs (JSON lines of `transcribe --stream --task translate`) against references; prints one JSON object.",
            discussion: """
                Quality: corpus BLEU and chrF with sacreBLEU's defaults. Latency: SimulEval's AL, LAAL, DAL, AP, StartOffset \
                and EndOffset, the mean over sentences, in seconds of source audio (one delay per written word, split at \
                whitespace as SimulEval splits a prediction); *_ca are \
                computation-aware (audio read + wall-clock since the start, for runs fed as fast as they decode; with \
                --paced, the wall-clock alone); *_words count source-lane words read, when the runs had a source lane.
                """
        )

        @Argument(help: "Event logs, one per source sentence.")
        var events: [String]

        @Option(help: "A text file with one reference translation per line, in the order of the event logs.")
        var references: String

        @Flag(help: "The runs were paced at real time (--realtime or live input): emitted_at is already computation-aware.")
        var paced = false

        @Option(
            help: ArgumentHelp(
                "Also write the runs as SimulEval's instance log (JSON lines; delays in ms), for `simuleval --score-only`.",
                valueName: "instances.log"))
        var instancesLog: String?

        func run() throws {
            do {
                let lines = try String(contentsOfFile: references, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                    .map(String.init)
                let referenceLines = lines.last == "" ? Array(lines.dropLast()) : lines
                guard referenceLines.count == events.count else {
                    throw EventLogError("\(references): \(referenceLines.count) references for \(events.count) event logs")
                }
                let logs = try events.map { path in
                    try EventLog(jsonLines: try String(contentsOfFile: path, encoding: .utf8), name: path)
                }
                let evaluation = try SimulEvaluation(logs: logs, references: referenceLines, paced: paced)
                if let instancesLog {
                    let lines = zip(logs, referenceLines).enumerated().map { index, run in
                        SimulEvalLog.line(
                            index: index, log: run.0, reference: run.1, source: URL(fileURLWithPath: events[index]).lastPathComponent,
                            paced: paced)
                    }
                    try lines.joined().write(toFile: instancesLog, atomically: true, encoding: .utf8)
                }
                try printLine(Self.json(evaluation))
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }

        /// `{"instances":…,"bleu":…,"chrf":…,"AL":…,…,"AL_ca":…,…,"AL_words":…}`, metrics in LatencyMetric's order.
        static func json(_ evaluation: SimulEvaluation) -> String {
            var fields = [
                "\"instances\":\(evaluation.instances)", String(format: "\"bleu\":%.2f", evaluation.bleu),
                String(format: "\"chrf\":%.2f", evaluation.chrF),
            ]
            for (suffix, scores) in [("", evaluation.seconds), ("_ca", evaluation.computationAware), ("_words", evaluation.words ?? [:])] {
                for metric in LatencyMetric.allCases {
                    if let value = scores[metric] { fields.append(String(format: "\"%@%@\":%.3f", metric.rawValue, suffix, value)) }
                }
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }
}
