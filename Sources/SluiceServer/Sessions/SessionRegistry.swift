import Foundation
import Synchronization

/// Admits sessions (streams and transcription requests) up to `--max-sessions`, and drains them at shutdown.
///
/// - Each session holds a slot from `admit` until it calls `release`; one slot is one decoder thread, so the
///   limit bounds the CPU and memory the service can be asked for at once.
/// - Past the limit, or once draining has begun, `admit` says why instead of a slot.
/// - `drain` stops admitting and lets open sessions run to their end (a load balancer has taken the
///   instance out by its `/healthz`, so its streams finish here); streams still open at the deadline end as
///   if their client had sent `{"eof":1}`, and get a short grace to send their last finals.
public final class SessionRegistry: Sendable {
    /// The answer to a request for a slot.
    enum Admission {
        case admitted(SessionSlot)
        /// Every slot is in use.
        case busy(limit: Int)
        /// The server is shutting down.
        case draining
    }

    private struct State {
        var open: [Int: (@Sendable () -> Void)?] = [:]
        var nextID = 0
        var draining = false
    }

    public let limit: Int
    let metrics: ServiceMetrics
    private let state = Mutex(State())

    public init(limit: Int, metrics: ServiceMetrics) {
        precondition(limit >= 1, "at least one session")
        self.limit = limit
        self.metrics = metrics
    }

    /// A slot for a session of `kind`; `onDrain`, when given, is called once if the server starts draining.
    func admit(_ kind: ServiceMetrics.SessionKind, onDrain: (@Sendable () -> Void)? = nil) -> Admission {
        let admission: Admission = state.withLock { state in
            if state.draining { return .draining }
            guard state.open.count < limit else { return .busy(limit: limit) }
            let id = state.nextID
            state.nextID += 1
            state.open[id] = onDrain
            return .admitted(SessionSlot(id: id, kind: kind, registry: self))
        }
        if case .admitted = admission { metrics.sessionStarted(kind) } else { metrics.sessionRejected(kind) }
        return admission
    }

    /// Gives a slot back (its session has ended).
    fileprivate func release(_ slot: SessionSlot) {
        let removed = state.withLock { $0.open.removeValue(forKey: slot.id) != nil }
        if removed { metrics.sessionEnded(slot.kind) }
    }

    /// Sessions open now.
    var openSessions: Int { state.withLock { $0.open.count } }

    /// Whether `drain` has begun.
    var isDraining: Bool { state.withLock { $0.draining } }

    /// Stops admitting, waits until every session has ended or `deadline` has passed, then asks the streams
    /// still open to finish and waits up to `finishGrace` for them; returns the sessions still open.
    public func drain(deadline: Duration, finishGrace: Duration = .seconds(5)) async -> Int {
        state.withLock { $0.draining = true }
        guard await waitForSessions(until: ContinuousClock.now + deadline) > 0 else { return 0 }
        let handlers = state.withLock { $0.open.values.compactMap { $0 } }
        for handler in handlers { handler() }
        return await waitForSessions(until: ContinuousClock.now + finishGrace)
    }

    /// Waits until no session is open or `end` has passed (or the task is cancelled); returns those open.
    private func waitForSessions(until end: ContinuousClock.Instant) async -> Int {
        while openSessions > 0, ContinuousClock.now < end {
            do { try await Task.sleep(for: .milliseconds(50)) } catch { break }  // cancelled: stop waiting
        }
        return openSessions
    }
}

/// One admitted session's hold on a slot; release it when the session ends (releasing again does nothing, so
/// a session may release before its last words to the client and again on the way out).
struct SessionSlot: Sendable {
    fileprivate let id: Int
    let kind: ServiceMetrics.SessionKind
    fileprivate let registry: SessionRegistry

    func release() { registry.release(self) }
}
