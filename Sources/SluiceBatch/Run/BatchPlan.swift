/// What a run does with each input of its shard: process it, or skip it as already done.
public struct BatchPlan: Sendable {
    /// Inputs to process, in order.
    public var pending: [BatchInput]
    /// Inputs whose manifest entry is ok for the same size and modification time, and whose outputs exist.
    public var done: [BatchInput]

    /// Splits the inputs of `shard` by the manifest `entries`; `exists` tells whether an output file exists.
    public init(inputs: [BatchInput], shard: Shard, entries: [String: ManifestEntry], layout: OutputLayout,
                exists: (String) -> Bool) {
        pending = []
        done = []
        for input in inputs where shard.contains(input.relativePath) {
            if let entry = entries[input.relativePath], entry.completes(input),
                !entry.outputs.isEmpty, entry.outputs.allSatisfy({ exists(layout.path($0)) })
            {
                done.append(input)
            } else {
                pending.append(input)
            }
        }
    }
}
