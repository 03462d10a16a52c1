import Foundation
import SluiceCore

/// SIGINT/SIGTERM during a batch: the first lets the running inputs finish (no new one starts), a
/// second cancels them (`StopSignals`). Handlers stay installed until this object is released.
public final class BatchSignals: Sendable {
    private let signals: StopSignals

    public init(runner: BatchRunner, drainSeconds: Double, onSignal: @escaping @Sendable (String) -> Void) {
        // No deadline here: `BatchRunner.interrupt()` cancels the running inputs after `drainSeconds` itself.
        signals = StopSignals { request in
            switch request {
            case .drain(let name):
                onSignal(
                    "\(name): finishing the running inputs (up to \(drainSeconds.formatted(maxFractionDigits: 1)) s; a second signal cancels them)")
                runner.interrupt()
            case .cancel(let name):
                onSignal("\(name) (second signal): cancelling the running inputs")
                runner.cancel()
            case .deadlinePassed:
                runner.cancel()
            }
        }
    }
}
