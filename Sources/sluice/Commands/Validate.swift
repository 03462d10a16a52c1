import ArgumentParser
import SluicePipelines

/// `sluice validate FILE…`: checks pipeline files without running them.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check pipeline files: YAML, stage types, options, edges and formats.",
        discussion: "Prints each problem as FILE:LINE:COL: error: MESSAGE and exits 78 if any file has one."
    )

    @Argument(help: "Pipeline files to check.")
    var files: [String]

    func run() throws {
        let validator = PipelineValidator(registry: .standard)
        var failed = false
        for file in files {
            do {
                _ = try validator.load(path: file)
            } catch {
                failed = true
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
                continue
            }
            try printLine("\(file): ok")
        }
        if failed { throw SluiceExit.configuration }
    }
}
