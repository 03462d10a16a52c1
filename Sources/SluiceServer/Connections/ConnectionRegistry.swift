import Synchronization

/// Keeps at most `limit` connections open, so that idle ones cannot use up the process's file descriptors
/// and lock out `/healthz` and real clients.
///
/// - A new connection past the limit takes the place of the connection that has waited longest for a
///   request (a kept-alive client, a slow or silent one); that one is closed. Idle HTTP/1.1 connections may
///   be closed at any time, and clients retry on a fresh one.
/// - When every open connection is busy (a request in flight, a WebSocket stream), the new one is refused.
public final class ConnectionRegistry: Sendable {
    /// The answer to a new connection.
    enum Admission {
        /// Open; `evicted` is the connection closed to make room, if one was.
        case admitted(id: Int, evicted: (@Sendable () -> Void)?)
        /// Every connection is busy.
        case refused
    }

    private struct Entry {
        /// Closes the connection.
        var close: @Sendable () -> Void
        /// Since when it has waited for a request; nil while it is busy.
        var idleSince: ContinuousClock.Instant?
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
    }

    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        precondition(limit >= 1, "at least one connection")
        self.limit = limit
    }

    /// Registers a new connection, idle since `now`, that `close` closes.
    func open(at now: ContinuousClock.Instant, close: @escaping @Sendable () -> Void) -> Admission {
        state.withLock { state in
            var evicted: (@Sendable () -> Void)?
            if state.entries.count >= limit {
                let oldest = state.entries.filter { $0.value.idleSince != nil }.min { $0.value.idleSince! < $1.value.idleSince! }
                guard let oldest else { return .refused }
                evicted = state.entries.removeValue(forKey: oldest.key)!.close
            }
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(close: close, idleSince: now)
            return .admitted(id: id, evicted: evicted)
        }
    }

    /// Marks a connection as waiting for a request since `since`, or as busy (nil).
    func setIdle(_ id: Int, since: ContinuousClock.Instant?) {
        state.withLock { state in state.entries[id]?.idleSince = since }
    }

    /// Forgets a closed connection.
    func closed(_ id: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Connections open now.
    var openConnections: Int { state.withLock { $0.entries.count } }
}
