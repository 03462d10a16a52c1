import ArgumentParser
import Foundation
import SluiceSeries

/// `sluice series eval`: time-series model commands.
struct Series: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time-series models: evaluate forecasters on the ETT protocol and the anomaly detector on NAB.",
        subcommands: [Eval.self, NAB.self, Cost.self]
    )

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a forecaster on an ETT file's test split; prints {\"mse\":…,\"mae\":…,\"windows\":…}.",
            discussion: """
                Standard protocol: train/val/test 12/4/4 months (ETTh: rows [0, 8640), [8640−L, 11520), [11520−L, 14400)),
                scaler fit on train, MSE/MAE on scaled values over every test window, channel and step.
                """
        )

        @Option(help: "A shipped model name (see `sluice models list`) or a model directory.")
        var model: String

        @Option(help: "An ETT CSV file (date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT).")
        var data: String

        @Option(help: "The forecast horizon; must be the model's.")
        var horizon: Int

        func run() throws {
            let loaded: ForecastModel
            do {
                loaded = try ForecastModel(resolving: model)
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.configuration
            }
            guard loaded.config.horizon == horizon else {
                printError("sluice: error: model '\(model)' forecasts \(loaded.config.horizon) steps, not \(horizon)")
                throw SluiceExit.usage
            }
            do {
                let table = try SeriesTable(csvPath: data)
                let scores = try ForecastEvaluation.evaluate(loaded, on: table, fileName: URL(fileURLWithPath: data).lastPathComponent)
                try printLine(String(format: "{\"mse\":%.6f,\"mae\":%.6f,\"windows\":%d}", scores.mse, scores.mae, scores.windows))
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }
    }

    struct NAB: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nab",
            abstract: "Score the forecast-residual anomaly detector on the NAB corpus; prints JSON per profile.",
            discussion: """
                NAB's rules: 15% probation (at most 750 rows), sigmoid-weighted first detection per window, threshold swept over \
                the corpus. --results writes NAB's results files for NAB's own scorer; --cross-validate chooses window_rows and \
                short_rows on all but one of NAB's groups and scores the group left out.
                """
        )

        @Option(help: "The NAB root (holding data/ and labels/combined_windows.json).")
        var data: String

        @Option(help: "forecast_residual (Sluice's detector) or windowed_gaussian (NAB's baseline, for comparison).")
        var detector: Detector = .forecast_residual

        @Option(help: "The forecaster (a shipped model name or a directory).")
        var model = "etth1-96"

        @Option(help: "Rows of residual history for the score statistics (series.anomaly's window_rows).")
        var windowRows = ResidualDetector.Settings().windowRows

        @Option(help: "Recent rows averaged into the residual compared (series.anomaly's short_rows).")
        var shortRows = ResidualDetector.Settings().shortRows

        @Option(help: "Also write NAB's results files (DIR/<detector>/<group>/<detector>_<file>.csv) for NAB's own scorer.")
        var results: String?

        @Option(help: "Score another detector's NAB results files instead (its folder: <group>/<name>_<file>.csv, e.g. NAB's results/numenta).")
        var fromResults: String?

        @Flag(help: "Leave-one-group-out cross-validation of window_rows × short_rows (forecast_residual) and the threshold.")
        var crossValidate = false

        /// The detectors `--detector` names.
        enum Detector: String, CaseIterable, ExpressibleByArgument {
            case forecast_residual, windowed_gaussian

            /// The name in NAB's results layout (no underscore: NAB's normaliser splits file names on `_`).
            var resultsName: String { self == .forecast_residual ? "sluiceForecastResidual" : "sluiceWindowedGaussian" }
        }

        /// The settings `--cross-validate` chooses between.
        static let windowRowsGrid = [1600, 3200, 6400]
        static let shortRowsGrid = [1, 2, 4]

        func validate() throws {
            try StageFlag("--window-rows", windowRows, sets: "window_rows", of: "series.anomaly").check()
            try StageFlag("--short-rows", shortRows, sets: "short_rows", of: "series.anomaly").check()
            if fromResults != nil && results != nil {
                throw ValidationError("--results writes Sluice's detectors' scores; --from-results reads another detector's")
            }
        }

        func run() throws {
            do {
                let corpus = try NABCorpus(root: data)
                var candidates = [(settings: ResidualDetector.Settings?, files: [NABScorer.File])]()
                /// Scores as the results files hold them, so Sluice's scorer scores what NAB's does.
                func files(_ scores: [[Double]]) -> [NABScorer.File] {
                    zip(scores, corpus.entries).map {
                        NABScorer.File(scores: fromResults == nil ? $0.map(NABResults.written) : $0, windows: $1.windows)
                    }
                }
                let chosen: [[Double]]
                if let fromResults {
                    let name = URL(fileURLWithPath: fromResults).lastPathComponent
                    chosen = try corpus.entries.map { entry in
                        let scores = try NABResults.readScores(path: NABResults.path(folder: fromResults, detector: name, file: entry.name))
                        guard scores.count == entry.values.count else {
                            throw SeriesInputError(
                                row: nil, message: "\(fromResults): \(entry.name): \(scores.count) scores for \(entry.values.count) rows")
                        }
                        return scores
                    }
                    candidates.append((nil, files(chosen)))
                } else if detector == .windowed_gaussian {
                    chosen = corpus.entries.map { NABCorpus.windowedGaussianScores($0.values) }
                    candidates.append((nil, files(chosen)))
                } else {
                    let forecaster = try ForecastModel(resolving: model).streamingForecaster()
                    let residuals = corpus.entries.map { NABCorpus.residuals($0.values, forecaster: forecaster) }
                    func scores(_ settings: ResidualDetector.Settings) -> [[Double]] {
                        residuals.map {
                            NABCorpus.scores(residuals: $0, settings: settings, forecaster: forecaster).map(NABResults.unitScore)
                        }
                    }
                    chosen = scores(ResidualDetector.Settings(windowRows: windowRows, shortRows: shortRows))
                    if crossValidate {
                        for window in Self.windowRowsGrid {
                            for short in Self.shortRowsGrid {
                                let settings = ResidualDetector.Settings(windowRows: window, shortRows: short)
                                candidates.append((settings, files(scores(settings))))
                            }
                        }
                    }
                }
                if let results {
                    for (entry, scores) in zip(corpus.entries, chosen) {
                        try NABResults.write(entry, scores: scores, detector: detector.resultsName, root: results)
                    }
                }
                let scored = files(chosen)
                var fields = NABScorer.Profile.all.map { profile in
                    let result = NABScorer.evaluate(scored, profile: profile)
                    var text = String(format: "\"%@\":{\"score\":%.9f,\"threshold\":", profile.name, result.score) + json(result.threshold)
                    if detector == .forecast_residual && fromResults == nil {
                        text += ",\"threshold_sigma\":" + json(NABResults.standardScore(result.threshold), format: "%.6f")
                    }
                    return text + "}"
                }
                if crossValidate {
                    fields.append("\"cross_validation\":" + crossValidation(candidates, corpus: corpus))
                }
                let rows = corpus.entries.reduce(0) { $0 + $1.values.count }
                try printLine("{\"files\":\(scored.count),\"rows\":\(rows),\(fields.joined(separator: ","))}")
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }

        /// A JSON number, or null where there is none (no detection scored best: an infinite threshold).
        private func json(_ value: Double, format: String = "%.15g") -> String {
            value.isFinite ? String(format: format, value) : "null"
        }

        /// The cross-validation figures per profile as JSON.
        private func crossValidation(
            _ candidates: [(settings: ResidualDetector.Settings?, files: [NABScorer.File])], corpus: NABCorpus
        ) -> String {
            func settings(_ index: Int) -> String {
                guard let settings = candidates[index].settings else { return "" }
                return ",\"window_rows\":\(settings.windowRows),\"short_rows\":\(settings.shortRows)"
            }
            let groups = corpus.entries.map(\.group)
            let profiles = NABScorer.Profile.all.map { profile in
                let result = NABCrossValidation.run(candidates: candidates.map(\.files), groups: groups, profile: profile)
                let folds = result.folds.map { fold in
                    String(format: "{\"group\":\"%@\"", fold.group) + settings(fold.candidate)
                        + ",\"threshold\":" + json(fold.threshold) + "}"
                }
                return String(format: "\"%@\":{\"all_files\":{\"score\":%.9f", profile.name, result.allFiles.score)
                    + settings(result.candidate)
                    + String(format: "},\"held_out\":%.6f,\"folds\":[", result.heldOut) + folds.joined(separator: ",") + "]}"
            }
            return "{" + profiles.joined(separator: ",") + "}"
        }
    }

    struct Cost: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-row cost of streaming forecasts (one channel) after 1k, 100k and 1M rows of history; prints JSON lines."
        )

        @Option(help: "The forecaster (a shipped model name or a directory).")
        var model = "etth1-96"

        @Option(help: "Forecast values computed per row (1 … the model's horizon).")
        var steps = 1

        @Option(help: "Rows timed after each checkpoint (in ten slices; the median slice counts).")
        var block = 20000

        func run() throws {
            let forecaster: ForecastModel
            do {
                forecaster = try ForecastModel(resolving: model)
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.configuration
            }
            let samples = try StreamingCost.measure(forecaster, checkpoints: [1_000, 100_000, 1_000_000], block: block, steps: steps)
            for sample in samples {
                try printLine(
                    String(
                        format: "{\"history\":%d,\"steps\":%d,\"us_per_row\":%.3f,\"rows_per_s\":%.0f,\"rss_mb\":%.1f}",
                        sample.history, steps, sample.microsecondsPerRow, sample.rowsPerSecond, Double(sample.residentBytes) / 1e6))
            }
        }
    }
}
