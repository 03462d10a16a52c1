/// One node of a graph that is ready to run: a built source, stage or sink and its input edges.
public struct GraphNode {
    /// What the node does.
    public enum Role {
        case source(any Source)
        case stage(any Stage)
        case sink(any Sink)
    }

    /// The id from the pipeline file, used in errors and metrics.
    public var id: String
    /// The registered type name, e.g. `audio.resample`.
    public var type: String
    public var role: Role
    /// Indices (into the graph's node list) of the producers this node reads, in input order.
    public var inputs: [Int]
    /// The bound of each incoming edge.
    public var capacity: EdgeCapacity

    public init(id: String, type: String, role: Role, inputs: [Int] = [], capacity: EdgeCapacity = .standard) {
        self.id = id
        self.type = type
        self.role = role
        self.inputs = inputs
        self.capacity = capacity
    }

    /// The format this node emits; `nil` for sinks.
    public var outputFormat: StreamFormat? {
        switch role {
        case .source(let source): source.format
        case .stage(let stage): stage.outputFormat
        case .sink: nil
        }
    }
}
