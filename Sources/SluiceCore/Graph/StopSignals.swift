import Dispatch
import Foundation

/// SIGINT/SIGTERM for work that can stop gently: the first signal asks it to finish what it holds, a second
/// signal (or `deadline` seconds after the first) asks it to stop at once. The one implementation behind
/// `sluice run`'s drain (`SignalDrain`) and `sluice batch`'s (`BatchSignals`).
///
/// - Requests reach `handle` on one serial queue, in order: at most one `.drain`, then at most one cancel.
/// - Handlers stay installed until this object is released; then the signals get their default action back.
public final class StopSignals: @unchecked Sendable {  // `escalation` is touched only on `queue`
    /// What the signals ask for.
    public enum Request: Sendable, Equatable {
        /// The first signal (its name, e.g. "SIGINT"): finish what is running, start nothing new.
        case drain(signal: String)
        /// A second signal: stop now.
        case cancel(signal: String)
        /// The deadline (seconds) passed after the first signal without a second one: stop now.
        case deadlinePassed(seconds: Double)
    }

    /// Which requests have been made: the first signal drains; a second signal or the deadline cancels, once.
    struct Escalation: Sendable {
        private(set) var drained = false
        private(set) var cancelled = false

        /// The request a signal named `name` makes now, if any.
        mutating func signal(_ name: String) -> Request? {
            if cancelled { return nil }
            if !drained {
                drained = true
                return .drain(signal: name)
            }
            cancelled = true
            return .cancel(signal: name)
        }

        /// The request the drain deadline makes when it passes, if any.
        mutating func deadline(_ seconds: Double) -> Request? {
            guard drained, !cancelled else { return nil }
            cancelled = true
            return .deadlinePassed(seconds: seconds)
        }
    }

    private let queue = DispatchQueue(label: "sluice.stop-signals")
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []
    private var escalation = Escalation()

    /// Installs the handlers; `handle` receives each request. `deadline` nil: only a second signal cancels.
    public init(signals: [Int32] = [SIGINT, SIGTERM], deadline: Double? = nil, handle: @escaping @Sendable (Request) -> Void) {
        self.signals = signals
        for signo in signals {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self, let request = self.escalation.signal(Self.name(of: signo)) else { return }
                handle(request)
                guard case .drain = request, let deadline else { return }
                self.queue.asyncAfter(deadline: .now() + deadline) { [weak self] in
                    if let request = self?.escalation.deadline(deadline) { handle(request) }
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for signo in signals { signal(signo, SIG_DFL) }
    }

    /// "SIGINT", "SIGTERM", … for messages.
    static func name(of signo: Int32) -> String {
        switch signo {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signo)"
        }
    }
}
