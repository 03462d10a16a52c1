import ArgumentParser
import Foundation
import SluiceSeries

/// `sluice series eval`: time-series model commands.
struct Series: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time-series forecasters: evaluate on the standard ETT protocol.",
        subcommands: [Eval.self]
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
                print(String(format: "{\"mse\":%.6f,\"mae\":%.6f,\"windows\":%d}", scores.mse, scores.mae, scores.windows))
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }
    }
}
