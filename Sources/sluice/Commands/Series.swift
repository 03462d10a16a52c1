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
            discussion: "NAB's rules: 15% probation (at most 750 rows), sigmoid-weighted first detection per window, threshold swept over the corpus."
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

        /// The detectors `--detector` names.
        enum Detector: String, CaseIterable, ExpressibleByArgument {
            case forecast_residual, windowed_gaussian
        }

        func validate() throws {
            try StageFlag("--window-rows", windowRows, sets: "window_rows", of: "series.anomaly").check()
            try StageFlag("--short-rows", shortRows, sets: "short_rows", of: "series.anomaly").check()
        }

        func run() throws {
            do {
                let forecaster = try ForecastModel(resolving: model).streamingForecaster()
                let corpus = try NABCorpus(root: data)
                let settings = ResidualDetector.Settings(windowRows: windowRows, shortRows: shortRows)
                let files = corpus.entries.map { entry in
                    let scores =
                        detector == .windowed_gaussian
                        ? NABCorpus.windowedGaussianScores(entry.values)
                        : NABCorpus.scores(entry.values, forecaster: forecaster, settings: settings)
                    return NABScorer.File(scores: scores, windows: entry.windows)
                }
                let results = NABScorer.Profile.all.map { profile in
                    let result = NABScorer.evaluate(files, profile: profile)
                    return String(format: "\"%@\":{\"score\":%.2f,\"threshold\":%.9f}", profile.name, result.score, result.threshold)
                }
                let rows = corpus.entries.reduce(0) { $0 + $1.values.count }
                try printLine("{\"files\":\(files.count),\"rows\":\(rows),\(results.joined(separator: ","))}")
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
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
