import ArgumentParser
import Foundation
import SluiceCore
import SluicePipelines

/// `sluice run PIPELINE`: runs a pipeline file over stdin/stdout or files.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline file.",
        discussion: """
            SIGINT/SIGTERM end the input and drain the pipeline (outputs are completed); a second signal, or \
            the drain timeout, cancels and discards partial outputs.
            """
    )

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: [.customShort("i"), .customLong("input")], help: "Input path, or - for stdin (sets input.path).")
    var input: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output path, or - for stdout (sets output.path).")
    var output: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override an option: ID.OPTION=VALUE (repeatable).", valueName: "ID.OPTION=VALUE"))
    var overrides: [String] = []

    @Flag(help: "Print per-stage metrics to stderr at exit.")
    var stats = false

    @Flag(help: "Pace the input at 1x real time (measure live behaviour on files).")
    var realtime = false

    @Option(help: "Seconds to drain after the first SIGINT/SIGTERM before cancelling.")
    var drainTimeout = GraphExecution.defaultDrainTimeout

    func validate() throws {
        for text in overrides {
            do { _ = try Override.parse(text) } catch { throw ValidationError(error.description) }
        }
        guard drainTimeout > 0 else { throw ValidationError("--drain-timeout must be positive") }
    }

    func run() throws {
        var changes = try overrides.map { try Override.parse($0) }
        if let input { changes.append(Override(target: "input", option: "path", value: input, origin: "-i \(input)")) }
        if let output { changes.append(Override(target: "output", option: "path", value: output, origin: "-o \(output)")) }

        let nodes = try GraphExecution.build { try $0.load(path: pipeline, overrides: changes) }
        try GraphExecution.run(nodes, realtime: realtime, stats: stats, drainTimeout: drainTimeout)
    }
}
