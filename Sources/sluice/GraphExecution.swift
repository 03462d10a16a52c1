import Foundation
import SluiceCore
import SluicePipelines

/// Builds and runs pipelines for commands: configuration errors, signals (drain then cancel), `--stats`,
/// drop warnings and exit codes.
enum GraphExecution {
    /// Seconds a run gets to finish after the first SIGINT/SIGTERM, the default of every command's `--drain-timeout`.
    static let defaultDrainTimeout = 30.0

    /// Validates the pipeline `load` returns and builds its graph; configuration errors are printed
    /// compiler-style (exit 78), other failures as one line (exit 1).
    static func build(_ load: (PipelineValidator) throws -> Pipeline) throws -> [GraphNode] {
        let registry = StageRegistry.standard
        return try loadingConfiguration { try PipelineBuilder(registry: registry).build(load(PipelineValidator(registry: registry))) }
    }

    static func run(_ nodes: [GraphNode], realtime: Bool, stats: Bool, drainTimeout: Double) throws {
        let runner = GraphRunner(nodes: nodes, options: GraphRunner.Options(realtime: realtime))
        let signals = SignalDrain(
            runner: runner, deadline: drainTimeout, onSignal: { printError("sluice: \($0)") },
            forceExit: {
                printError("sluice: error: a stage is stuck in a system call after cancellation; exiting")
                Foundation.exit(1)
            })
        let started = Date()
        let outcome = runner.run()
        withExtendedLifetime(signals) {}
        let metrics = runner.nodeMetrics()
        if stats {
            printError(StatsTable.render(metrics, wallSeconds: Date().timeIntervalSince(started)))
        }
        for node in metrics where node.metrics.drops > 0 {
            printError("sluice: warning: \(node.metrics.drops) packets dropped before stage '\(node.id)' (input when_full: drop_newest)")
        }
        switch outcome {
        case .completed, .drained:
            return
        case .failed(let failure):
            printError("sluice: error: \(failure)")
            throw SluiceExit.runtimeFailure
        case .cancelled:
            printError("sluice: error: cancelled; partial outputs were discarded")
            throw SluiceExit.runtimeFailure
        }
    }
}
