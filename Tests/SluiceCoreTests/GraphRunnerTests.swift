import Foundation
import SluiceCore
import Testing

@Suite struct GraphRunnerTests {
    @Test func endOfStreamDrainsHeldDataInOrder() {
        let source = RampSource(frames: 100, packetCount: 50)
        let sink = CollectingSink()
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(source)),
            GraphNode(id: "scale", type: "test.scale", role: .stage(ScaleStage(factor: 2)), inputs: [0]),
            GraphNode(id: "out", type: "test.collect", role: .sink(sink), inputs: [1]),
        ])
        #expect(runner.run() == .completed)
        #expect(sink.didFinish)
        #expect(sink.collected == (0..<5000).map { Float($0 * 2) })
        let metrics = runner.nodeMetrics()
        #expect(metrics[1].metrics.packetsIn == 50)
        #expect(metrics[1].metrics.packetsOut == 50)
        #expect(metrics[2].metrics.bytesIn == 5000 * 4)
    }

    @Test func stageErrorNamesStageTypeAndInputPosition() {
        let scale = ScaleStage(factor: 1)
        scale.failAtPosition = 16000
        let sink = CollectingSink()
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(RampSource(frames: 4000, packetCount: nil))),
            GraphNode(id: "gain", type: "test.scale", role: .stage(scale), inputs: [0]),
            GraphNode(id: "out", type: "test.collect", role: .sink(sink), inputs: [1]),
        ])
        let outcome = runner.run()
        #expect(
            outcome
                == .failed(
                    StageFailure(
                        stageID: "gain", stageType: "test.scale", position: "input sample 16000 (1 s)",
                        message: "value out of range")))
        #expect("\(outcome)".contains("stage 'gain' (test.scale) at input sample 16000 (1 s): value out of range"))
        #expect(sink.didAbort)
        #expect(!sink.didFinish)
    }

    @Test func sourceErrorStopsTheGraphAndAbortsSinks() {
        let source = RampSource(frames: 10, packetCount: nil)
        source.failAtPacket = 7
        let sink = CollectingSink()
        let runner = GraphRunner(nodes: [
            GraphNode(id: "input", type: "audio", role: .source(source)),
            GraphNode(id: "output", type: "test.collect", role: .sink(sink), inputs: [0]),
        ])
        guard case .failed(let failure) = runner.run() else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.description == "stage 'input' (audio): decoder lost sync at packet 7")
        #expect(sink.didAbort)
    }

    @Test func fanOutAndFanIn() {
        // in → a (×1) and b (×10) → sum(a, b) → out: every sample becomes 11 × its value.
        let sink = CollectingSink()
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(RampSource(frames: 64, packetCount: 100))),
            GraphNode(id: "a", type: "test.scale", role: .stage(ScaleStage(factor: 1)), inputs: [0]),
            GraphNode(
                id: "b", type: "test.scale", role: .stage(ScaleStage(factor: 10)), inputs: [0],
                capacity: EdgeCapacity(maxPackets: 2)),
            GraphNode(id: "sum", type: "test.sum", role: .stage(SumStage(inputs: 2)), inputs: [1, 2]),
            GraphNode(id: "out", type: "test.collect", role: .sink(sink), inputs: [3]),
        ])
        #expect(runner.run() == .completed)
        #expect(sink.collected == (0..<6400).map { Float($0 * 11) })
    }

    @Test func drainRequestEndsTheStreamAndCommitsOutputs() {
        let source = RampSource(frames: 160, packetCount: nil)
        let sink = CollectingSink()
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(source)),
            GraphNode(id: "scale", type: "test.scale", role: .stage(ScaleStage(factor: 1)), inputs: [0]),
            GraphNode(id: "out", type: "test.collect", role: .sink(sink, ), inputs: [1]),
        ])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { runner.requestDrain() }
        #expect(runner.run() == .drained)
        #expect(sink.didFinish)
        // Everything the source emitted arrived, including the packet the stage held back.
        #expect(sink.collected.count == source.emittedCount * 160)
        #expect(sink.collected == (0..<sink.collected.count).map { Float($0) })
    }

    @Test func cancelDiscardsOutputs() {
        let sink = CollectingSink(delay: 0.01)
        let runner = GraphRunner(nodes: [
            GraphNode(id: "in", type: "test.ramp", role: .source(RampSource(frames: 160, packetCount: nil))),
            GraphNode(id: "out", type: "test.collect", role: .sink(sink), inputs: [0]),
        ])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { runner.cancel() }
        #expect(runner.run() == .cancelled)
        #expect(sink.didAbort)
        #expect(!sink.didFinish)
    }

    @Test func realtimePacingFollowsTheFrameRate() {
        // 10 packets of 0.05 s at 16 kHz: paced at 1x the run takes about 0.5 s.
        let runner = GraphRunner(
            nodes: [
                GraphNode(id: "in", type: "test.ramp", role: .source(RampSource(frames: 800, packetCount: 10))),
                GraphNode(id: "out", type: "test.collect", role: .sink(CollectingSink()), inputs: [0]),
            ],
            options: GraphRunner.Options(realtime: true))
        let start = Date()
        #expect(runner.run() == .completed)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.49 && elapsed < 1.5)
    }
}
