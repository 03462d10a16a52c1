import Yams

/// A pipeline file as written: sections, stages and raw option nodes, each with its location.
///
/// Produced by `PipelineParser` (structure only); `PipelineValidator` checks it against the stage
/// registry.
struct PipelineSpec {
    var file: String
    var input: ComponentSpec
    var stages: [ComponentSpec]
    var output: ComponentSpec
}

/// One `input`, `output` or stage entry.
struct ComponentSpec {
    /// The stage id; `input` and `output` for those sections.
    var id: Located<String>
    var type: Located<String>
    /// Names from `inputs:`, or `nil` when the entry relies on the default (the previous stage).
    var inputs: [Located<String>]?
    var queue: QueueSpec?
    /// Every other key, as written.
    var options: [OptionEntry]
    /// Where the entry starts.
    var location: Diagnostic.Location
}

/// `queue: { max_packets, max_duration_ms }` on a stage: the bound of its input edges.
struct QueueSpec {
    var maxPackets: Located<Int>?
    var maxDurationMs: Located<Int>?
}

/// One `key: value` of a component's options.
struct OptionEntry {
    var key: Located<String>
    var value: Node
    var valueLocation: Diagnostic.Location
    /// The text of a command-line override, read as the option's declared type rather than as YAML.
    var overrideText: String?
}

/// A value and where it was written.
struct Located<Value> {
    var value: Value
    var location: Diagnostic.Location
}
