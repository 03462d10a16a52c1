import Dispatch
import Foundation
import Synchronization

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
    private let deadline: Double?
    private let handle: @Sendable (Request) -> Void
    private var escalation = Escalation()

    /// Installs the handlers; `handle` receives each request. `deadline` nil: only a second signal cancels.
    ///
    /// The handlers are plain `sigaction` handlers that write the signal's number into a pipe (``SignalPipe``),
    /// in place from the moment this returns: a signal that comes at once is queued in the pipe, never lost (a
    /// dispatch signal source registers later, on the dispatch manager thread, and a signal in between was
    /// ignored — a live run interrupted right after start then waited forever).
    public init(signals: [Int32] = [SIGINT, SIGTERM], deadline: Double? = nil, handle: @escaping @Sendable (Request) -> Void) {
        self.signals = signals
        self.deadline = deadline
        self.handle = handle
        SignalPipe.listen(ObjectIdentifier(self)) { [weak self] signo in self?.received(signo) }
        for signo in signals { signal(signo, writeSignalToPipe) }
    }

    deinit {
        for signo in signals { signal(signo, SIG_DFL) }
        SignalPipe.stopListening(ObjectIdentifier(self))
    }

    /// A signal read from the pipe: the request it makes, on `queue`.
    private func received(_ signo: Int32) {
        queue.async { [self] in
            guard signals.contains(signo), let request = escalation.signal(Self.name(of: signo)) else { return }
            handle(request)
            guard case .drain = request, let deadline else { return }
            queue.asyncAfter(deadline: .now() + deadline) { [weak self] in
                guard let self, let request = self.escalation.deadline(deadline) else { return }
                self.handle(request)
            }
        }
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

/// The process's signal pipe: the C handler writes each signal's number into it, and one thread reads them and
/// gives them to the `StopSignals` listening now (one at a time: a run or a batch).
enum SignalPipe {
    /// The write end, set before any handler is installed (read by the handler, so never changed after).
    nonisolated(unsafe) static var writeEnd: Int32 = -1
    private static let listener = Mutex<(id: ObjectIdentifier, receive: @Sendable (Int32) -> Void)?>(nil)

    /// Made once: the pipe and its reading thread.
    private static let opened: Void = {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("sluice: cannot make the signal pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)  // a full pipe drops a signal, never blocks the handler
        writeEnd = ends[1]
        let readEnd = ends[0]
        let reader = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    listener.withLock { $0 }?.receive(Int32(byte))
                } else if count < 0 && errno != EINTR {
                    return
                }
            }
        }
        reader.name = "sluice.signals"
        reader.start()
    }()

    static func listen(_ id: ObjectIdentifier, _ receive: @escaping @Sendable (Int32) -> Void) {
        _ = opened
        listener.withLock { $0 = (id, receive) }
    }

    static func stopListening(_ id: ObjectIdentifier) {
        listener.withLock { if $0?.id == id { $0 = nil } }
    }
}

/// The C signal handler: only `write`, which is async-signal-safe.
private func writeSignalToPipe(_ signo: Int32) {
    var byte = UInt8(truncatingIfNeeded: signo)
    _ = write(SignalPipe.writeEnd, &byte, 1)
}
