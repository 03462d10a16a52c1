import Dispatch
import Foundation

/// SIGINT/SIGTERM handling for a run: the first signal drains, a second one (or the deadline) cancels.
///
/// - First signal: sources end their streams, every stage drains, sinks commit what they have.
/// - A second signal, or `deadline` seconds after the first, cancels: partial outputs are discarded.
/// - A stage stuck in a system call (a write to a pipe nobody reads) cannot see the cancellation;
///   if the run is still going `stuckAfter` seconds later, `forceExit` is called.
public final class SignalDrain: Sendable {
    private let signals: StopSignals
    /// Alive as long as this object: a pending `forceExit` checks it, so a finished run is never force-exited.
    private let lifetime: Lifetime

    private final class Lifetime: Sendable {}

    /// Installs the handlers for `runner`; they stay until this object is released.
    public init(
        runner: GraphRunner,
        deadline: Double,
        stuckAfter: Double = 2,
        onSignal: @escaping @Sendable (String) -> Void,
        forceExit: @escaping @Sendable () -> Void
    ) {
        let lifetime = Lifetime()
        self.lifetime = lifetime
        signals = StopSignals(deadline: deadline) { [weak lifetime] request in
            switch request {
            case .drain(let name):
                onSignal("\(name): draining (a second signal cancels)")
                runner.requestDrain()
                return
            case .cancel(let name):
                onSignal("\(name) again: cancelling")
            case .deadlinePassed(let seconds):
                onSignal("drain deadline of \(seconds.formatted(maxFractionDigits: 1)) s passed: cancelling")
            }
            runner.cancel()
            DispatchQueue.global().asyncAfter(deadline: .now() + stuckAfter) { [weak lifetime] in
                if lifetime != nil { forceExit() }
            }
        }
    }
}
