import Foundation

/// Counters for one node of a running graph, updated by the node's own thread.
public final class StageMetrics: @unchecked Sendable {  // guarded by `lock`
    /// A copy of the counters at one moment.
    public struct Snapshot: Sendable {
        public var packetsIn = 0
        public var bytesIn = 0
        public var packetsOut = 0
        public var bytesOut = 0
        /// Seconds spent inside the node's own code (process/finish/read/consume).
        public var busySeconds = 0.0
        public var errors = 0
        /// Values a source clipped to its format's range (audio beyond full scale).
        public var clipped = 0
        /// Packets dropped at this node's input (live sources only).
        public var drops = 0
        /// Current and highest queued packets over this node's inputs, and their bound.
        public var queueDepth = 0
        public var queueHighWater = 0
        public var queueCapacity = 0
    }

    private let lock = NSLock()
    private var counters = Snapshot()

    init() {}

    func recordIn(_ packet: Packet) {
        lock.withLock {
            counters.packetsIn += 1
            counters.bytesIn += packet.byteCount
        }
    }

    func recordOut(_ packet: Packet) {
        lock.withLock {
            counters.packetsOut += 1
            counters.bytesOut += packet.byteCount
        }
    }

    func recordBusy(nanoseconds: UInt64) {
        lock.withLock { counters.busySeconds += Double(nanoseconds) / 1e9 }
    }

    func recordError() {
        lock.withLock { counters.errors += 1 }
    }

    func snapshot(inbox: Inbox?) -> Snapshot {
        var result = lock.withLock { counters }
        if let lanes = inbox?.snapshot() {
            result.queueDepth = lanes.reduce(0) { $0 + $1.depth }
            result.queueHighWater = lanes.map(\.highWater).max() ?? 0
            result.queueCapacity = lanes.map(\.capacity.maxPackets).max() ?? 0
            result.drops = lanes.reduce(0) { $0 + $1.drops }
        }
        return result
    }
}
