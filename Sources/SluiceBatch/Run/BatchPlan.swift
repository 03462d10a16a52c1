/// What a run does with each input of its shard: process it, or skip it as already done.
///
/// An input is done when its last manifest entry is `ok` for the same size and modification time,
/// names the output this pipeline writes for it, that output exists, and the entry's pipeline
/// fingerprint is this pipeline's. An entry without a fingerprint (written by a sluice that did not
/// record one) counts as done when the rest holds: nothing says the output is stale, and redoing a
/// whole corpus after an upgrade would be costly; `redoAll` redoes it.
public struct BatchPlan: Sendable {
    /// Inputs to process, in order.
    public var pending: [BatchInput]
    /// Inputs already done.
    public var done: [BatchInput]
    /// How many pending inputs have an ok output made by another pipeline or other options.
    public var stale = 0
    /// How many done inputs have an entry without a pipeline fingerprint.
    public var unfingerprinted = 0

    /// Splits the inputs of `shard` by the manifest `entries`; `exists` tells whether an output file
    /// exists; `fingerprint` is this run's pipeline's; `redoAll` makes every input pending.
    public init(
        inputs: [BatchInput], shard: Shard, entries: [String: ManifestEntry], layout: OutputLayout,
        fingerprint: String, redoAll: Bool = false, exists: (String) -> Bool
    ) {
        pending = []
        done = []
        for input in inputs where shard.contains(input.relativePath) {
            guard !redoAll, let entry = entries[input.relativePath], entry.completes(input),
                !entry.outputs.isEmpty, entry.outputs.allSatisfy({ exists(layout.path($0)) })
            else {
                pending.append(input)
                continue
            }
            let sameOutputs = entry.outputs == [layout.relativeOutput(for: input)]
            if sameOutputs && entry.pipeline == fingerprint {
                done.append(input)
            } else if sameOutputs && entry.pipeline == nil {
                done.append(input)
                unfingerprinted += 1
            } else {
                pending.append(input)
                stale += 1
            }
        }
    }
}
