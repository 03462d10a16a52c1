import Foundation

/// The input side of one consumer: one bounded FIFO lane per incoming edge, under one lock.
///
/// - A producer pushing into a full lane waits (or drops, for `drop_newest`), so a slow consumer
///   slows its producers instead of filling memory.
/// - The consumer pops across lanes in arrival order and waits while every lane is empty.
/// - End of stream is an item in a lane like any packet, so it drains behind the data. It never
///   waits for room: a lane holds at most its capacity plus the end marker.
/// - `cancel()` wakes every waiter; blocked calls then throw `RunCancelled`.
final class Inbox: @unchecked Sendable {  // all mutable state is guarded by `condition`
    /// What `pop` returns.
    enum Event {
        case packet(Packet, lane: Int)
        case end(lane: Int)
    }

    private struct Lane {
        var capacity: EdgeCapacity
        var framesPerSecond: Double?
        var items: [(sequence: UInt64, packet: Packet?)] = []  // nil packet = end of stream
        var head = 0
        var packetCount = 0
        var queuedSeconds = 0.0
        var highWater = 0
        var drops = 0

        var isFull: Bool {
            if packetCount >= capacity.maxPackets { return true }
            if let maxSeconds = capacity.maxSeconds, packetCount > 0, queuedSeconds >= maxSeconds { return true }
            return false
        }

        var isEmpty: Bool { head == items.count }

        func seconds(of packet: Packet) -> Double {
            guard let rate = framesPerSecond, rate > 0 else { return 0 }
            return Double(packet.frames) / rate
        }

        mutating func append(_ packet: Packet?, sequence: UInt64) {
            items.append((sequence, packet))
            if let packet {
                packetCount += 1
                queuedSeconds += seconds(of: packet)
                highWater = max(highWater, packetCount)
            }
        }

        mutating func removeFirst() -> Packet? {
            let packet = items[head].packet
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            if let packet {
                packetCount -= 1
                queuedSeconds = packetCount == 0 ? 0 : queuedSeconds - seconds(of: packet)
            }
            return packet
        }
    }

    /// A consistent view of one lane, for metrics and tests.
    struct LaneSnapshot: Sendable {
        var depth: Int
        var highWater: Int
        var capacity: EdgeCapacity
        var drops: Int
    }

    private let condition = NSCondition()
    private var lanes: [Lane]
    private var nextSequence: UInt64 = 0
    private var cancelled = false
    private var waitingConsumer = false
    private var waitingProducers = 0

    init(lanes: [(capacity: EdgeCapacity, framesPerSecond: Double?)]) {
        self.lanes = lanes.map { Lane(capacity: $0.capacity, framesPerSecond: $0.framesPerSecond) }
    }

    /// Queues a packet on `lane`, waiting while it is full; returns `false` if the packet was dropped.
    func push(_ packet: Packet, lane index: Int) throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while lanes[index].isFull && !cancelled {
            if lanes[index].capacity.whenFull == .dropNewest {
                lanes[index].drops += 1
                return false
            }
            waitingProducers += 1
            condition.wait()
            waitingProducers -= 1
        }
        if cancelled { throw RunCancelled() }
        lanes[index].append(packet, sequence: nextSequence)
        nextSequence += 1
        if waitingConsumer { condition.broadcast() }
        return true
    }

    /// Queues the end-of-stream marker on `lane`, behind its data.
    func pushEnd(lane index: Int) {
        condition.lock()
        defer { condition.unlock() }
        lanes[index].append(nil, sequence: nextSequence)
        nextSequence += 1
        condition.broadcast()
    }

    /// Takes the oldest item across lanes, waiting while all lanes are empty.
    func pop() throws -> Event {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled {
            var best: Int?
            for index in lanes.indices where !lanes[index].isEmpty {
                if best == nil
                    || lanes[index].items[lanes[index].head].sequence
                        < lanes[best!].items[lanes[best!].head].sequence
                {
                    best = index
                }
            }
            if let lane = best {
                let packet = lanes[lane].removeFirst()
                if waitingProducers > 0 { condition.broadcast() }
                return packet.map { .packet($0, lane: lane) } ?? .end(lane: lane)
            }
            waitingConsumer = true
            condition.wait()
            waitingConsumer = false
        }
        throw RunCancelled()
    }

    /// Wakes every waiter; from now on `push` and `pop` throw `RunCancelled`.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The current depth, high-water mark and drops of every lane.
    func snapshot() -> [LaneSnapshot] {
        condition.lock()
        defer { condition.unlock() }
        return lanes.map {
            LaneSnapshot(depth: $0.packetCount, highWater: $0.highWater, capacity: $0.capacity, drops: $0.drops)
        }
    }
}
