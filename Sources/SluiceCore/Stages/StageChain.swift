/// Single-input stages run one after another on the caller's thread, each one's packets the next one's
/// input: a linear pipeline without the graph runner's queues and threads, for a caller that already owns a
/// serial queue per stream (`sluice serve`'s stream sessions).
public final class StageChain {
    private let stages: [any Stage]

    /// The stages in order (the first takes the chain's input).
    public init(_ stages: [any Stage]) {
        self.stages = stages
    }

    /// Runs `packet` through every stage; returns what the last one emitted.
    public func push(_ packet: Packet) throws -> [Packet] {
        var carried = [packet]
        for stage in stages { carried = try Self.process(carried, by: stage) }
        return carried
    }

    /// End of stream: drains each stage in order, what it still held going through the stages after it;
    /// returns what the last one emitted.
    public func finish() throws -> [Packet] {
        var carried: [Packet] = []
        for stage in stages {
            carried = try Self.process(carried, by: stage)
            try stage.finish { carried.append($0) }
        }
        return carried
    }

    private static func process(_ packets: [Packet], by stage: any Stage) throws -> [Packet] {
        var emitted: [Packet] = []
        for packet in packets { try stage.process(packet, input: 0) { emitted.append($0) } }
        return emitted
    }
}
