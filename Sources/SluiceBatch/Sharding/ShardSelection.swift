import Foundation

/// Picks this process's shard from `--shard`, `--shard-count` and the array-job environment.
///
/// - `--shard I/N` (1-based) wins over everything else.
/// - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0-based) with `--shard-count N` (the Job's
///   `completions`, which the pod does not see).
/// - Slurm job arrays: `SLURM_ARRAY_TASK_ID` relative to `SLURM_ARRAY_TASK_MIN` (and
///   `SLURM_ARRAY_TASK_STEP`), out of `SLURM_ARRAY_TASK_COUNT` or `--shard-count N`.
/// - None of them: the whole batch.
public enum ShardSelection {
    /// The shard and a note on where it came from (nil for the whole batch).
    public static func resolve(
        shard: String?, shardCount: Int?, environment: [String: String]
    ) throws(BatchError) -> (shard: Shard, source: String?) {
        if let shard {
            guard shardCount == nil else {
                throw BatchError("--shard I/N and --shard-count N exclude each other; --shard-count goes with JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
            }
            return (try Shard.parse(shard), "--shard \(shard)")
        }
        if let shardCount, shardCount < 1 { throw BatchError("--shard-count must be at least 1, got \(shardCount)") }
        if let text = environment["JOB_COMPLETION_INDEX"] {
            let index = try integer("JOB_COMPLETION_INDEX", text)
            guard let shardCount else {
                throw BatchError("JOB_COMPLETION_INDEX=\(text) is set: pass the Job's completions as --shard-count N")
            }
            return (try inRange(index: index, count: shardCount, from: "JOB_COMPLETION_INDEX=\(text)"),
                    "JOB_COMPLETION_INDEX=\(text) of --shard-count \(shardCount)")
        }
        if let text = environment["SLURM_ARRAY_TASK_ID"] {
            let id = try integer("SLURM_ARRAY_TASK_ID", text)
            let minimum = try environment["SLURM_ARRAY_TASK_MIN"].map { text throws(BatchError) in try integer("SLURM_ARRAY_TASK_MIN", text) } ?? 0
            let step = try environment["SLURM_ARRAY_TASK_STEP"].map { text throws(BatchError) in try integer("SLURM_ARRAY_TASK_STEP", text) } ?? 1
            guard step >= 1 else { throw BatchError("SLURM_ARRAY_TASK_STEP=\(step): must be at least 1") }
            let count: Int
            if let shardCount {
                count = shardCount
            } else if let total = environment["SLURM_ARRAY_TASK_COUNT"] {
                count = try integer("SLURM_ARRAY_TASK_COUNT", total)
            } else {
                throw BatchError("SLURM_ARRAY_TASK_ID=\(text) is set but SLURM_ARRAY_TASK_COUNT is not: pass --shard-count N")
            }
            guard (id - minimum) % step == 0 else {
                throw BatchError("SLURM_ARRAY_TASK_ID=\(id) is not SLURM_ARRAY_TASK_MIN=\(minimum) plus a multiple of the step \(step)")
            }
            let index = (id - minimum) / step
            return (try inRange(index: index, count: count, from: "SLURM_ARRAY_TASK_ID=\(id) (min \(minimum))"),
                    "SLURM_ARRAY_TASK_ID=\(id) of \(count) tasks from \(minimum)")
        }
        if shardCount != nil {
            throw BatchError("--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment; use --shard I/N otherwise")
        }
        return (.all, nil)
    }

    private static func integer(_ name: String, _ text: String) throws(BatchError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw BatchError("\(name)='\(text)' is not an integer")
        }
        return value
    }

    private static func inRange(index: Int, count: Int, from origin: String) throws(BatchError) -> Shard {
        guard count >= 1 else { throw BatchError("\(origin): the shard count must be at least 1, got \(count)") }
        guard (0..<count).contains(index) else {
            throw BatchError("\(origin) gives shard index \(index) (0-based), outside 0..<\(count)")
        }
        return try Shard(index: index, count: count)
    }
}
