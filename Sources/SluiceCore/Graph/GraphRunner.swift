import Dispatch
import Foundation

/// Runs a graph: one serial Dispatch queue per node, bounded edges between them.
///
/// - Data and end of stream flow together; a stage drains (`finish`) once all its inputs ended.
/// - The first error stops the graph: every queue is cancelled, sources are told to stop, and sinks
///   discard partial outputs. The error names the node, its type and the input position.
/// - `requestDrain()` (first SIGINT/SIGTERM) makes sources end their streams so everything drains;
///   `cancel()` (second signal, drain deadline) stops at once.
public final class GraphRunner: @unchecked Sendable {  // shared state is guarded by `lock`
    /// Run-wide settings.
    public struct Options: Sendable {
        /// Pace sources at 1x real time by their format's frame rate (to measure live behaviour on files).
        public var realtime: Bool

        public init(realtime: Bool = false) {
            self.realtime = realtime
        }
    }

    /// One node's counters, for `--stats` and `/metrics`.
    public struct NodeMetrics: Sendable {
        public var id: String
        public var type: String
        public var metrics: StageMetrics.Snapshot
    }

    private let nodes: [GraphNode]
    private let options: Options
    private let inboxes: [Inbox?]
    /// For each node, the (consumer node, lane) pairs its output feeds.
    private let consumers: [[(node: Int, lane: Int)]]
    private let metrics: [StageMetrics]
    private let lock = NSLock()
    private var failure: StageFailure?
    private var cancelled = false
    private var drainRequested = false

    /// Prepares a run; the nodes must form an acyclic graph with every non-sink output consumed.
    public init(nodes: [GraphNode], options: Options = Options()) {
        var consumers = Array(repeating: [(node: Int, lane: Int)](), count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for (lane, producer) in node.inputs.enumerated() {
                precondition(producer != index && nodes.indices.contains(producer), "bad edge into '\(node.id)'")
                consumers[producer].append((index, lane))
            }
        }
        self.inboxes = nodes.map { node in
            guard !node.inputs.isEmpty else { return nil }
            return Inbox(lanes: node.inputs.map { (node.capacity, nodes[$0].outputFormat?.framesPerSecond) })
        }
        self.nodes = nodes
        self.options = options
        self.consumers = consumers
        self.metrics = nodes.map { _ in StageMetrics() }
    }

    /// Runs every node to completion and returns how the run ended. Blocks the calling thread.
    public func run() -> RunOutcome {
        let group = DispatchGroup()
        for index in nodes.indices {
            let queue = DispatchQueue(label: "sluice.stage.\(nodes[index].id)")
            queue.async(group: group) { self.runNode(index) }
        }
        group.wait()
        return lock.withLock {
            if let failure { return .failed(failure) }
            if cancelled { return .cancelled }
            return drainRequested ? .drained : .completed
        }
    }

    /// Asks every source to end its stream so that the graph drains (first signal).
    public func requestDrain() {
        lock.withLock { drainRequested = true }
        for node in nodes {
            if case .source(let source) = node.role { source.requestStop() }
        }
    }

    /// Stops the run at once; partial outputs are discarded.
    public func cancel() {
        let first = lock.withLock {
            defer { cancelled = true }
            return !cancelled
        }
        guard first else { return }
        for inbox in inboxes { inbox?.cancel() }
        for node in nodes {
            if case .source(let source) = node.role { source.requestStop() }
        }
    }

    /// The counters of every node, in graph order.
    public func nodeMetrics() -> [NodeMetrics] {
        nodes.indices.map { index in
            var snapshot = metrics[index].snapshot(inbox: inboxes[index])
            if case .source(let source) = nodes[index].role { snapshot.clipped = source.clippedValues }
            return NodeMetrics(id: nodes[index].id, type: nodes[index].type, metrics: snapshot)
        }
    }

    // MARK: - Node loops

    private var isStopping: Bool { lock.withLock { cancelled || drainRequested } }

    private func runNode(_ index: Int) {
        let node = nodes[index]
        var position: String?
        do {
            switch node.role {
            case .source(let source): try runSource(index, source)
            case .stage(let stage): try runStage(index, stage, position: &position)
            case .sink(let sink): try runSink(index, sink, position: &position)
            }
        } catch is RunCancelled {
            if case .sink(let sink) = node.role { sink.abort() }
        } catch {
            metrics[index].recordError()
            if case .sink(let sink) = node.role { sink.abort() }
            fail(StageFailure(stageID: node.id, stageType: node.type, position: position, message: "\(error)"))
        }
    }

    private func runSource(_ index: Int, _ source: any Source) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let rate = options.realtime ? source.format.framesPerSecond : nil
        var blocked: UInt64 = 0
        let emit: Emit = { packet in
            if let rate {
                let due = start + UInt64(Double(packet.position + Int64(packet.frames)) / rate * 1e9)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { Thread.sleep(forTimeInterval: Double(due - now) / 1e9) }
            }
            blocked += try self.deliver(packet, from: index)
        }
        while !isStopping {
            blocked = 0
            let began = DispatchTime.now().uptimeNanoseconds
            let more = try source.read(emit: emit)
            metrics[index].recordBusy(nanoseconds: DispatchTime.now().uptimeNanoseconds - began - blocked)
            if !more { break }
        }
        try endStream(from: index)
    }

    private func runStage(_ index: Int, _ stage: any Stage, position: inout String?) throws {
        var blocked: UInt64 = 0
        let emit: Emit = { packet in blocked += try self.deliver(packet, from: index) }
        try consumeInbox(index, position: &position) { packet, lane in
            blocked = 0
            let began = DispatchTime.now().uptimeNanoseconds
            if let packet {
                try stage.process(packet, input: lane, emit: emit)
            } else {
                try stage.finish(emit: emit)
            }
            metrics[index].recordBusy(nanoseconds: DispatchTime.now().uptimeNanoseconds - began - blocked)
        }
        try endStream(from: index)
    }

    private func runSink(_ index: Int, _ sink: any Sink, position: inout String?) throws {
        try consumeInbox(index, position: &position) { packet, _ in
            let began = DispatchTime.now().uptimeNanoseconds
            if let packet { try sink.consume(packet) } else { try sink.finish() }
            metrics[index].recordBusy(nanoseconds: DispatchTime.now().uptimeNanoseconds - began)
        }
    }

    /// Pops until every lane has ended, calling `handle(packet, lane)` per packet and
    /// `handle(nil, 0)` once at the end; keeps `position` describing the packet in hand.
    private func consumeInbox(
        _ index: Int,
        position: inout String?,
        handle: (Packet?, Int) throws -> Void
    ) throws {
        guard let inbox = inboxes[index] else { preconditionFailure("node without inputs") }
        let node = nodes[index]
        var open = node.inputs.count
        while open > 0 {
            switch try inbox.pop() {
            case .packet(let packet, let lane):
                metrics[index].recordIn(packet)
                position = describe(packet, format: nodes[node.inputs[lane]].outputFormat)
                try handle(packet, lane)
            case .end:
                open -= 1
            }
        }
        position = "end of stream"
        try handle(nil, 0)
    }

    /// Pushes a packet to every consumer; returns the nanoseconds spent waiting for room.
    private func deliver(_ packet: Packet, from index: Int) throws -> UInt64 {
        metrics[index].recordOut(packet)
        let began = DispatchTime.now().uptimeNanoseconds
        for consumer in consumers[index] {
            _ = try inboxes[consumer.node]!.push(packet, lane: consumer.lane)
        }
        return DispatchTime.now().uptimeNanoseconds - began
    }

    private func endStream(from index: Int) throws {
        if lock.withLock({ cancelled }) { throw RunCancelled() }
        for consumer in consumers[index] {
            inboxes[consumer.node]!.pushEnd(lane: consumer.lane)
        }
    }

    private func fail(_ error: StageFailure) {
        let first = lock.withLock { () -> Bool in
            guard failure == nil && !cancelled else { return false }
            failure = error
            return true
        }
        if first { cancel() }
    }

    private func describe(_ packet: Packet, format: StreamFormat?) -> String {
        guard let format else { return "input \(packet.position)" }
        var text = "input \(format.frameNoun) \(packet.position)"
        if let rate = format.framesPerSecond, rate > 0 {
            text += " (\((Double(packet.position) / rate).formatted(maxFractionDigits: 3)) s)"
        }
        return text
    }
}
