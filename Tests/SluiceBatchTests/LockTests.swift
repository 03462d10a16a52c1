import Foundation
import SluiceBatch
import Testing

/// The output folder's locks: one unsharded run at a time, shards side by side, each shard once.
/// (flock(2) locks belong to open files, so two locks taken in one process conflict as two
/// processes' would.)
@Suite struct LockTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aSecondRunIntoTheFolderIsRefusedWithTheHoldersPid() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let first = try BatchLock(folder: out, shard: .all, wait: false)
        #expect(throws: BatchError.self) { _ = try BatchLock(folder: out, shard: .all, wait: false) }
        do {
            _ = try BatchLock(folder: out, shard: .all, wait: false)
        } catch {
            #expect(
                error.description == "\(out): another sluice batch (pid \(getpid())) is writing into this folder; "
                    + "wait for it to finish (or pass --wait-lock), or write into another folder")
        }
        // A shard would redo the unsharded run's inputs too.
        #expect(throws: BatchError.self) { _ = try BatchLock(folder: out, shard: try Shard(index: 0, count: 2), wait: false) }
        first.release()
        let again = try BatchLock(folder: out, shard: .all, wait: false)
        again.release()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [BatchLock.folderFileName])
    }

    @Test func shardsRunTogetherButEachShardOnce() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let one = try BatchLock(folder: out, shard: try Shard(index: 0, count: 2), wait: false)
        let two = try BatchLock(folder: out, shard: try Shard(index: 1, count: 2), wait: false)
        do {
            _ = try BatchLock(folder: out, shard: try Shard(index: 1, count: 2), wait: false)
            Issue.record("a second copy of shard 2/2 was let in")
        } catch {
            #expect(
                error.description == "\(out): sluice batch shard 2/2 (pid \(getpid())) is writing into this folder; "
                    + "wait for it to finish (or pass --wait-lock), or write into another folder")
        }
        do {
            _ = try BatchLock(folder: out, shard: .all, wait: false)
            Issue.record("an unsharded run was let in beside shards")
        } catch {
            #expect(error.description.hasPrefix("\(out): sluice batch shards 1/2 (pid \(getpid())), 2/2 (pid \(getpid())) are writing"))
        }
        one.release()
        two.release()
        _ = try BatchLock(folder: out, shard: .all, wait: false)
        #expect(BatchLock.shardFileName(for: try Shard(index: 1, count: 2)) == ".sluice-batch.shard-2-of-2.lock")
    }

    @Test func waitingTakesTheLockWhenTheHolderLetsGo() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let first = try BatchLock(folder: out, shard: .all, wait: false)
        var lines: [String] = []
        // The holder lets go only once the second run has said it waits.
        let second = try BatchLock(folder: out, shard: .all, wait: true) { line in
            lines.append(line)
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { first.release() }
        }
        #expect(lines == ["\(out): waiting for another sluice batch (pid \(getpid())) to finish"])
        #expect(throws: BatchError.self) { _ = try BatchLock(folder: out, shard: .all, wait: false) }
        second.release()
    }

    @Test func aMissingFolderIsAnError() {
        #expect(throws: BatchError.self) { _ = try BatchLock(folder: "/nonexistent-\(UUID().uuidString)", shard: .all, wait: false) }
    }
}
