import Foundation
import SluiceBatch
import SluiceCore
import SluiceFiles
import Testing

/// Finding inputs, naming outputs, and cleaning what a killed run left.
@Suite struct DiscoveryTests {
    /// A temporary folder holding empty files at `paths`.
    static func tree(_ paths: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-discovery-\(UUID().uuidString)").path
        for path in paths {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: full, contents: Data(path.utf8)))
        }
        return root
    }

    @Test func findsMatchingFilesRecursivelyInByteOrder() throws {
        let root = try Self.tree(["b/2.FLAC", "b/10.wav", "a/z/1.ogg", "notes.txt", ".hidden/x.wav", "a/.y.wav", "out/old.wav", "c.mp3"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let discovery = InputDiscovery(extensions: ["flac", "wav", "ogg", "mp3"], excluded: root + "/out")
        let found = try discovery.find([root])
        #expect(found.inputs.map(\.relativePath) == ["a/z/1.ogg", "b/10.wav", "b/2.FLAC", "c.mp3"])
        #expect(found.inputs.allSatisfy { $0.size == Int64($0.relativePath.utf8.count) && $0.modified > 1_600_000_000 })
        // What else is there is skipped and said (hidden files and the excluded output folder are not).
        #expect(found.skipped == [root + "/notes.txt"])
        // A file argument is taken whatever its extension, named by its file name.
        let single = try discovery.find([root + "/notes.txt"])
        #expect(single.inputs.map(\.relativePath) == ["notes.txt"] && single.skipped.isEmpty)
    }

    @Test func missingRootAndCollidingOutputsAreErrors() throws {
        let root = try Self.tree(["a/x.wav", "a/x.flac"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: BatchError.self) { try InputDiscovery(extensions: ["wav"]).find([root + "/missing"]) }
        let error = #expect(throws: BatchError.self) { try InputDiscovery(extensions: ["wav", "flac"]).find([root]) }
        #expect(error?.description.contains("a/x.*") == true)
    }

    @Test func outputsMirrorInputsAndUnfinishedOnesAreRemoved() throws {
        let layout = OutputLayout(folder: "/out", fileExtension: "json")
        let input = BatchInput(path: "/in/a/b/c.d.flac", relativePath: "a/b/c.d.flac", size: 1, modified: 1)
        #expect(layout.relativeOutput(for: input) == "a/b/c.d.json")
        #expect(InputDiscovery.stem("a.b/c") == "a.b/c")
        #expect(InputDiscovery.stem(".hidden") == ".hidden")

        let out = try Self.tree(["a/.y.json.tmp-9-2", "a/x.json", "a/.x.jsonl.tmp-1-1", "a/.x.json.tmp-notes"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        // What a killed writer leaves: a temporary file beside the output it was writing.
        let unfinished = try AtomicFile(path: out + "/a/x.json")
        let local = OutputLayout(folder: out, fileExtension: "json")
        let mine = BatchInput(path: "/in/a/x.wav", relativePath: "a/x.wav", size: 1, modified: 1)
        #expect(local.removeUnfinished(of: [mine]) == [unfinished.temporaryPath])
        // Another shard's temporary file (y) and other names stay.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out + "/a").sorted() == [
                ".x.json.tmp-notes", ".x.jsonl.tmp-1-1", ".y.json.tmp-9-2", "x.json",
            ])
    }

    @Test func aLiveWritersTemporaryFileStaysAndAFailedInputsOwnIsRemoved() throws {
        // pid 1 is always running; 99999999 is above any pid_max.
        let out = try Self.tree(["a/.x.json.tmp-1-1", "a/.x.json.tmp-99999999-3", "a/.x.json.tmp-\(getpid())-7", "a/.z.json.tmp-\(getpid())-8"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let layout = OutputLayout(folder: out, fileExtension: "json")
        let input = BatchInput(path: "/in/a/x.wav", relativePath: "a/x.wav", size: 1, modified: 1)
        #expect(Set(layout.removeUnfinished(of: [input])) == [out + "/a/.x.json.tmp-99999999-3", out + "/a/.x.json.tmp-\(getpid())-7"])
        #expect(layout.removeOwnUnfinished("a/z.json") == [out + "/a/.z.json.tmp-\(getpid())-8"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/a") == [".x.json.tmp-1-1"])
    }
}
