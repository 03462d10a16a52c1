import SluiceBatch
import Testing

/// Shards: the stable hash, `--shard` parsing, and the array-job environment.
@Suite struct ShardTests {
    @Test func fnv1aMatchesPublishedVectors() {
        // Test vectors of the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/).
        #expect(Shard.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.fnv1a("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func shardsPartitionInputs() throws {
        let paths = (0..<300).map { "speaker\($0 % 7)/chapter\($0 % 5)/utt-\($0).flac" }
        let shards = try (0..<3).map { try Shard(index: $0, count: 3) }
        for path in paths {
            #expect(shards.filter { $0.contains(path) }.count == 1, "\(path) is not in exactly one shard")
        }
        // Reasonably even: each shard gets a fair part of 300 paths.
        for shard in shards {
            #expect((60...140).contains(paths.filter(shard.contains).count))
        }
        #expect(paths.allSatisfy(Shard.all.contains))
    }

    @Test func parsesOneBasedShard() throws {
        #expect(try Shard.parse("1/3") == Shard(index: 0, count: 3))
        #expect(try Shard.parse("3/3") == Shard(index: 2, count: 3))
        #expect(try Shard.parse("2/8").description == "2/8")
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/3/4", ""] {
            #expect(throws: BatchError.self, "\(bad)") { try Shard.parse(bad) }
        }
    }

    @Test func explicitShardWinsOverEnvironment() throws {
        let chosen = try ShardSelection.resolve(
            shard: "2/4", shardCount: nil, environment: ["JOB_COMPLETION_INDEX": "0", "SLURM_ARRAY_TASK_ID": "3"])
        #expect(chosen.shard == (try Shard(index: 1, count: 4)))
        #expect(try ShardSelection.resolve(shard: nil, shardCount: nil, environment: [:]).shard == .all)
    }

    @Test func kubernetesIndexIsZeroBasedWithShardCount() throws {
        let chosen = try ShardSelection.resolve(shard: nil, shardCount: 3, environment: ["JOB_COMPLETION_INDEX": "2"])
        #expect(chosen.shard == (try Shard(index: 2, count: 3)))
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: nil, shardCount: nil, environment: ["JOB_COMPLETION_INDEX": "2"]) }
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: nil, shardCount: 3, environment: ["JOB_COMPLETION_INDEX": "3"]) }
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: nil, shardCount: 3, environment: ["JOB_COMPLETION_INDEX": "x"]) }
    }

    @Test func slurmTaskIdIsRelativeToMinimumAndStep() throws {
        let oneBased = ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try ShardSelection.resolve(shard: nil, shardCount: nil, environment: oneBased).shard == Shard(index: 3, count: 4))
        let stepped = ["SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "5"]
        #expect(try ShardSelection.resolve(shard: nil, shardCount: nil, environment: stepped).shard == Shard(index: 3, count: 5))
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: nil, shardCount: nil, environment: ["SLURM_ARRAY_TASK_ID": "1"]) }
        #expect(throws: BatchError.self) {
            try ShardSelection.resolve(
                shard: nil, shardCount: nil, environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
    }

    @Test func shardCountAloneOrWithShardIsAnError() {
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: nil, shardCount: 3, environment: [:]) }
        #expect(throws: BatchError.self) { try ShardSelection.resolve(shard: "1/3", shardCount: 3, environment: [:]) }
    }
}
