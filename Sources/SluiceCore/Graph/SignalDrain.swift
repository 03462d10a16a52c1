import Dispatch
import Foundation

/// SIGINT/SIGTERM handling for a run: the first signal drains, a second one (or the deadline) cancels.
///
/// - First signal: sources end their streams, every stage drains, sinks commit what they have.
/// - A second signal, or `deadline` seconds after the first, cancels: partial outputs are discarded.
/// - A stage stuck in a system call (a write to a pipe nobody reads) cannot see the cancellation;
///   if the run is still going `stuckAfter` seconds later, `forceExit` is called.
public final class SignalDrain: @unchecked Sendable {  // `signalCount` is touched only on `queue`
    private let queue = DispatchQueue(label: "sluice.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var signalCount = 0

    /// Installs the handlers for `runner`; they stay until this object is released.
    public init(
        runner: GraphRunner,
        deadline: Double,
        stuckAfter: Double = 2,
        onSignal: @escaping @Sendable (String) -> Void,
        forceExit: @escaping @Sendable () -> Void
    ) {
        let cancel: @Sendable () -> Void = { [queue] in
            runner.cancel()
            queue.asyncAfter(deadline: .now() + stuckAfter) { [weak self] in
                if self != nil { forceExit() }
            }
        }
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            let name = signo == SIGINT ? "SIGINT" : "SIGTERM"
            source.setEventHandler { [unowned self] in
                self.signalCount += 1
                if self.signalCount == 1 {
                    onSignal("\(name): draining (a second signal cancels)")
                    runner.requestDrain()
                    self.queue.asyncAfter(deadline: .now() + deadline) { [weak self] in
                        guard self != nil else { return }
                        onSignal("drain deadline of \(deadline.formatted(maxFractionDigits: 1)) s passed: cancelling")
                        cancel()
                    }
                } else if self.signalCount == 2 {
                    onSignal("\(name) again: cancelling")
                    cancel()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
