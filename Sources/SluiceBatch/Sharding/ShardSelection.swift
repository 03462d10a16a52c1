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
        func integer(_ name: String) throws(BatchError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw BatchError("\(name)='\(text)' is not an integer") }
            return value
        }
        if let shard {
            guard shardCount == nil else {
                throw BatchError(
                    "--shard I/N and --shard-count N exclude each other; --shard-count goes with JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
            }
            return (try Shard.parse(shard), "--shard \(shard)")
        }
        if let shardCount, shardCount < 1 { throw BatchError("--shard-count must be at least 1, got \(shardCount)") }
        if let index = try integer("JOB_COMPLETION_INDEX") {
            guard let shardCount else {
                throw BatchError("JOB_COMPLETION_INDEX=\(index) is set: pass the Job's completions as --shard-count N")
            }
            let origin = "JOB_COMPLETION_INDEX=\(index) of --shard-count \(shardCount)"
            return (try inRange(index: index, count: shardCount, origin: origin), origin)
        }
        if let id = try integer("SLURM_ARRAY_TASK_ID") {
            let minimum = try integer("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = try integer("SLURM_ARRAY_TASK_STEP") ?? 1
            let total = try integer("SLURM_ARRAY_TASK_COUNT")
            guard let count = shardCount ?? total else {
                throw BatchError("SLURM_ARRAY_TASK_ID=\(id) is set but SLURM_ARRAY_TASK_COUNT is not: pass --shard-count N")
            }
            guard step >= 1, (id - minimum) % step == 0 else {
                throw BatchError("SLURM_ARRAY_TASK_ID=\(id) is not SLURM_ARRAY_TASK_MIN=\(minimum) plus a multiple of SLURM_ARRAY_TASK_STEP=\(step)")
            }
            let origin = "SLURM_ARRAY_TASK_ID=\(id) of \(count) tasks from \(minimum)"
            return (try inRange(index: (id - minimum) / step, count: count, origin: origin), origin)
        }
        if shardCount != nil {
            throw BatchError("--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment; use --shard I/N otherwise")
        }
        return (.all, nil)
    }

    /// The shard, or an error that says where the bad numbers came from.
    private static func inRange(index: Int, count: Int, origin: String) throws(BatchError) -> Shard {
        do { return try Shard(index: index, count: count) } catch { throw BatchError("\(origin): \(error)") }
    }
}
