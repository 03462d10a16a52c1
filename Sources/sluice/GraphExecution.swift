import Foundation
import SluiceCore

/// Runs a built graph for a command: signals drain then cancel, `--stats`, drop warnings, exit codes.
enum GraphExecution {
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
