import Foundation
import SluiceCore
import Testing

@Suite struct BackpressureTests {
    /// A fast source, a stage and a deliberately slow sink: every queue sits at its bound and the
    /// source waits. (Flat process memory is checked end to end in the CLI tests, where no other
    /// test shares the process.)
    @Test func slowSinkHoldsEveryQueueAtItsBound() throws {
        let frames = 4096
        let source = RampSource(frames: frames, packetCount: nil)
        let sink = CollectingSinkDiscarding(delay: 0.05)
        let capacity = EdgeCapacity(maxPackets: 4)
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(source)),
            GraphNode(id: "scale", type: "test.scale", role: .stage(ScaleStage(factor: 1)), inputs: [0], capacity: capacity),
            GraphNode(id: "out", type: "test.slow", role: .sink(sink), inputs: [1], capacity: capacity),
        ])
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = runner.run()
            done.signal()
        }
        // Twenty times, 50 ms apart: both queues are back at (or one packet under) their bound within a second
        // — on a busy machine a producer that has just been woken may not be scheduled for a while.
        var depths: [[Int]] = []
        var refilled = 0
        for _ in 0..<20 {
            Thread.sleep(forTimeInterval: 0.05)
            let deadline = Date().addingTimeInterval(1)
            while Date() < deadline {
                let metrics = runner.nodeMetrics()
                let depth = [metrics[1].metrics.queueDepth, metrics[2].metrics.queueDepth]
                depths.append(depth)
                if depth.allSatisfy({ $0 >= capacity.maxPackets - 1 }) {
                    refilled += 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            // The source never gets more than the queues and the packets in hand ahead of the sink.
            let inFlight = source.emittedCount - sink.count
            #expect(inFlight <= 2 * capacity.maxPackets + 3, "source ran ahead: \(inFlight) packets in flight")
        }
        runner.requestDrain()
        done.wait()

        #expect(depths.allSatisfy { $0[0] <= capacity.maxPackets && $0[1] <= capacity.maxPackets }, "above the bound: \(depths)")
        #expect(refilled == 20, "queues stayed below their bound: \(depths)")
        let metrics = runner.nodeMetrics()
        #expect(metrics[1].metrics.queueHighWater == capacity.maxPackets)
        #expect(metrics[2].metrics.queueHighWater == capacity.maxPackets)
    }

    @Test func dropNewestCountsDropsInsteadOfWaiting() {
        let source = RampSource(frames: 16, packetCount: 200)
        let sink = CollectingSinkDiscarding(delay: 0.002)
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(source)),
            GraphNode(
                id: "out", type: "test.slow", role: .sink(sink), inputs: [0],
                capacity: EdgeCapacity(maxPackets: 2, whenFull: .dropNewest)),
        ])
        #expect(runner.run() == .completed)
        let drops = runner.nodeMetrics()[1].metrics.drops
        #expect(drops > 0)
        #expect(sink.count + drops == 200)
    }

    @Test func durationBoundLimitsAudioSeconds() {
        // 0.1 s packets with a 0.25 s bound: at most 3 packets queue (the bound is reached at 0.3 s).
        let sink = CollectingSinkDiscarding(delay: 0.01)
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(RampSource(frames: 1600, packetCount: 60))),
            GraphNode(
                id: "out", type: "test.slow", role: .sink(sink), inputs: [0],
                capacity: EdgeCapacity(maxPackets: 100, maxSeconds: 0.25)),
        ])
        #expect(runner.run() == .completed)
        #expect(runner.nodeMetrics()[1].metrics.queueHighWater == 3)
        #expect(sink.count == 60)
    }
}

/// A slow sink that counts packets and keeps nothing.
final class CollectingSinkDiscarding: Sink, @unchecked Sendable {
    private let lock = NSLock()
    private var packets = 0
    let delay: Double

    init(delay: Double) { self.delay = delay }

    var count: Int { lock.withLock { packets } }

    func consume(_ packet: Packet) throws {
        Thread.sleep(forTimeInterval: delay)
        lock.withLock { packets += 1 }
    }

    func finish() throws {}
    func abort() {}
}
