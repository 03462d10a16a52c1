import Foundation
import SluiceBatch
import Testing

/// The manifest: lines, crash tolerance, and the resume plan built from it.
@Suite struct ManifestTests {
    static let input = BatchInput(path: "/data/a/b.flac", relativePath: "a/b.flac", size: 1234, modified: 1_700_000_000.123456789)

    @Test func lineRoundTripsWithSnakeCaseKeys() throws {
        let entry = ManifestEntry(input: Self.input, status: .ok, outputs: ["a/b.json"], error: nil, audioSeconds: 3.275, wallSeconds: 0.5)
        let line = Manifest.line(entry)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains(#""audio_seconds":3.275"#) && text.contains(#""input":"a/b.flac""#) && text.contains(#""status":"ok""#))
        #expect(Manifest.parse(line) == [entry])
        #expect(entry.completes(Self.input))
        var touched = Self.input
        touched.modified += 1
        #expect(!entry.completes(touched))
    }

    @Test func cutOffLineIsIgnoredAndWriterStartsANewLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + Manifest.fileName(for: .all)
        let first = ManifestEntry(input: Self.input, status: .failed, outputs: [], error: "bad header", audioSeconds: 0, wallSeconds: 0.1)
        // A crash in the middle of the second line.
        try (Manifest.line(first) + Data(#"{"input":"a/c.fl"#.utf8)).write(to: URL(fileURLWithPath: path))
        #expect(Manifest.read(folder: folder) == ["a/b.flac": first])

        let second = ManifestEntry(input: Self.input, status: .ok, outputs: ["a/b.json"], error: nil, audioSeconds: 1, wallSeconds: 0.2)
        try ManifestWriter(path: path).append(second)
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        // The last entry for an input wins.
        #expect(Manifest.read(folder: folder) == ["a/b.flac": second])
    }

    @Test func shardsWriteTheirOwnManifests() throws {
        #expect(Manifest.fileName(for: .all) == ".sluice-manifest.jsonl")
        let name = Manifest.fileName(for: try Shard(index: 1, count: 3))
        #expect(name == ".sluice-manifest.shard-2-of-3.jsonl")
        #expect(Manifest.isManifest(name))
    }

    @Test func planSkipsOnlyCompleteUnchangedInputs() {
        let layout = OutputLayout(folder: "/out", fileExtension: "json")
        let inputs = ["a.flac", "b.flac", "c.flac", "d.flac"].map {
            BatchInput(path: "/in/" + $0, relativePath: $0, size: 10, modified: 5)
        }
        func entry(_ index: Int, _ status: ManifestEntry.Status, size: Int64 = 10) -> ManifestEntry {
            var input = inputs[index]
            input.size = size
            return ManifestEntry(
                input: input, status: status, outputs: status == .ok ? [layout.relativeOutput(for: input)] : [],
                error: nil, audioSeconds: 1, wallSeconds: 1, pipeline: "f")
        }
        // a: done; b: failed before; c: changed since; d: done but its output was deleted.
        let entries = ["a.flac": entry(0, .ok), "b.flac": entry(1, .failed), "c.flac": entry(2, .ok, size: 11), "d.flac": entry(3, .ok)]
        let plan = BatchPlan(inputs: inputs, shard: .all, entries: entries, layout: layout, fingerprint: "f") { $0 != "/out/d.json" }
        #expect(plan.done.map(\.relativePath) == ["a.flac"])
        #expect(plan.pending.map(\.relativePath) == ["b.flac", "c.flac", "d.flac"])
    }

    @Test func outputsOfAnotherPipelineAreStaleAndOldEntriesAreKept() throws {
        let layout = OutputLayout(folder: "/out", fileExtension: "srt")
        let inputs = ["a.flac", "b.flac", "c.flac", "d.flac"].map {
            BatchInput(path: "/in/" + $0, relativePath: $0, size: 10, modified: 5)
        }
        func entry(_ index: Int, output: String, pipeline: String?) -> ManifestEntry {
            ManifestEntry(input: inputs[index], status: .ok, outputs: [output], error: nil, audioSeconds: 1, wallSeconds: 1, pipeline: pipeline)
        }
        // a: this pipeline; b: another pipeline, same output name; c: an older sluice's .json (the
        // pipeline then wrote json); d: an older sluice's .srt.
        let entries = [
            "a.flac": entry(0, output: "a.srt", pipeline: "this"), "b.flac": entry(1, output: "b.srt", pipeline: "other"),
            "c.flac": entry(2, output: "c.json", pipeline: nil), "d.flac": entry(3, output: "d.srt", pipeline: nil),
        ]
        let plan = BatchPlan(inputs: inputs, shard: .all, entries: entries, layout: layout, fingerprint: "this") { _ in true }
        #expect(plan.done.map(\.relativePath) == ["a.flac", "d.flac"])
        #expect(plan.pending.map(\.relativePath) == ["b.flac", "c.flac"])
        #expect(plan.stale == 2 && plan.unfingerprinted == 1)

        let forced = BatchPlan(inputs: inputs, shard: .all, entries: entries, layout: layout, fingerprint: "this", redoAll: true) { _ in true }
        #expect(forced.done.isEmpty && forced.pending.count == 4)
    }

    @Test func entriesRecordThePipelineAndVersionAndOldLinesStillParse() throws {
        let entry = ManifestEntry(
            input: Self.input, status: .ok, outputs: ["a/b.json"], error: nil, audioSeconds: 1, wallSeconds: 1,
            pipeline: "0123456789abcdef", sluiceVersion: "0.1.0")
        let text = String(decoding: Manifest.line(entry), as: UTF8.self)
        #expect(text.contains(#""pipeline":"0123456789abcdef""#) && text.contains(#""sluice_version":"0.1.0""#))
        #expect(Manifest.parse(Manifest.line(entry)) == [entry])
        let old = #"{"audio_seconds":1,"error":null,"input":"a/b.flac","mtime":5,"outputs":["a/b.json"],"size":10,"status":"ok","wall_seconds":1}"#
        let parsed = try #require(Manifest.parse(Data(old.utf8)).first)
        #expect(parsed.pipeline == nil && parsed.sluiceVersion == nil && parsed.status == .ok)
    }

    /// A copy of `Pipelines/mel.yaml` with `edit` applied, as a temporary file.
    static func melPipeline(_ edit: (String) -> String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Pipelines/mel.yaml"), encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fingerprint-\(UUID().uuidString).yaml").path
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fingerprintFollowsWhatThePipelineDoesNotHowItIsWritten() throws {
        func fingerprint(_ edit: (String) -> String) throws -> String {
            let path = try Self.melPipeline(edit)
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try PipelineJob(path: path, overrides: []).fingerprint
        }
        let shipped = try fingerprint { $0 }
        #expect(shipped.count == 16 && shipped.allSatisfy(\.isHexDigit))
        // Comments, an option set to its default (n_mels: 80) left out, other output paths: the same.
        #expect(try fingerprint { "# a comment\n" + $0.replacingOccurrences(of: "n_mels: 80, ", with: "") } == shipped)
        #expect(try fingerprint { $0.replacingOccurrences(of: "path: mel.npy", with: "path: other.npy") } == shipped)
        // Another value: another fingerprint.
        #expect(try fingerprint { $0.replacingOccurrences(of: "normalize: global", with: "normalize: none") } != shipped)
    }

    @Test func theLaterEntryWinsAcrossManifestFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func entry(_ pipeline: String, finished: Double?) -> ManifestEntry {
            ManifestEntry(
                input: Self.input, status: .ok, outputs: ["a/b.wav"], error: nil, audioSeconds: 1, wallSeconds: 1,
                pipeline: pipeline, finished: finished)
        }
        // Shards ran first; an unsharded run with other options came later. Its file sorts first.
        let unsharded = folder + "/" + Manifest.fileName(for: .all)
        let shard = folder + "/" + Manifest.fileName(for: try Shard(index: 0, count: 2))
        try Manifest.line(entry("later", finished: 2000)).write(to: URL(fileURLWithPath: unsharded))
        try (Manifest.line(entry("earlier", finished: 1000)) + Manifest.line(entry("earliest", finished: 500)))
            .write(to: URL(fileURLWithPath: shard))
        #expect(Manifest.read(folder: folder)["a/b.flac"]?.pipeline == "later")
        // Without times (older manifests), file order decides as before.
        try Manifest.line(entry("old", finished: nil)).write(to: URL(fileURLWithPath: unsharded))
        #expect(Manifest.read(folder: folder)["a/b.flac"]?.pipeline == "earliest")
    }
}
