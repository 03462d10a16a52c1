import ArgumentParser
import Foundation
import SluiceNN

/// The `sluice` command: streaming speech, text and time-series pipelines.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Streaming speech, text and time-series pipelines.",
        discussion: """
            Exit codes: 0 success, 1 runtime failure, 64 usage error, 78 configuration error.
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Batch.self, Transcribe.self, Validate.self, Stages.self, Models.self, Series.self, Codec.self, Serve.self, Simul.self,
        ]
    )

    /// Refuses a `SLUICE_SIMD` that is not a level (a typo would otherwise run the slow portable kernels
    /// unnoticed), then runs the command.
    static func main() async {
        if let problem = SIMDLevel.settingProblem {
            printError("sluice: error: \(problem)")
            Foundation.exit(SluiceExit.configuration.rawValue)
        }
        await main(nil)
    }
}
