/// How much an edge may hold before its producer waits (or drops, for live sources).
public struct EdgeCapacity: Sendable, Equatable {
    /// What a full queue does with a new packet.
    public enum WhenFull: String, Sendable, CaseIterable {
        /// The producer waits until the consumer takes a packet (backpressure). The default.
        case block
        /// The new packet is dropped and counted. Only for live sources that cannot wait.
        case dropNewest = "drop_newest"
    }

    /// Most packets queued at once (at least 1).
    public var maxPackets: Int
    /// Most seconds of stream queued at once, when the format has a frame rate.
    public var maxSeconds: Double?
    public var whenFull: WhenFull

    public init(maxPackets: Int = 8, maxSeconds: Double? = nil, whenFull: WhenFull = .block) {
        precondition(maxPackets >= 1, "an edge holds at least one packet")
        self.maxPackets = maxPackets
        self.maxSeconds = maxSeconds
        self.whenFull = whenFull
    }

    /// The engine's default: 8 packets, no duration limit, blocking.
    public static let standard = EdgeCapacity()
}
