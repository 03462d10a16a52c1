import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// Inputs a careless user or a hostile file can give `sluice` (reliability probe of 2026-12-06): each ends with
/// a clear error or a documented outcome, never a signal. Model-backed: needs `sluice models fetch tiny.en`.
@Suite struct HostileInputTests {
    static let sample = TranscribeCommandTests.sample

    /// The sample as a 32-bit float WAV in `folder`, with `value` at its middle sample.
    static func floatWav(in folder: URL, name: String, value: Float) throws -> String {
        let reader = try AudioDecoder(path: SluiceProcess.packageRoot.appendingPathComponent(sample).path)
        var audio: [Float] = [], chunk: [Float] = []
        while case let frames = try reader.read(into: &chunk, maxFrames: 16000), frames > 0 { audio += chunk[0..<frames] }
        audio[audio.count / 2] = value
        let path = folder.appendingPathComponent(name).path
        let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .float32, sampleRate: reader.sampleRate, channels: 1)
        try writer.write(audio)
        try writer.finish()
        return path
    }

    /// Runs a shell command line with `sluice` as the built binary; returns its status and stderr.
    static func shell(_ command: String) throws -> (status: Int32, stderr: String) {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = folder.appendingPathComponent("stderr").path
        let status = try SluiceProcess.shell("sluice() { \"\(SluiceProcess.executable.path)\" \"$@\"; }; \(command) 2>\(errors)")
        return (status, String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self))
    }

    @Test(.needsModels("tiny.en")) func aHugeSampleIsClippedWithAWarningAndTheSpeechTranscribed() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let spike = try Self.floatWav(in: folder, name: "spike.wav", value: 3e38)
        let result = try SluiceProcess.run(["transcribe", spike])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("belly"))
        #expect(result.stderr.contains("1 sample outside [-1, 1] clipped to full scale"))
    }

    @Test(.needsModels("tiny.en")) func aNaNSampleFailsThatInputOnlyAndNamesTheSample() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let nan = try Self.floatWav(in: folder, name: "nan.wav", value: .nan)
        let out = folder.appendingPathComponent("out").path
        let result = try SluiceProcess.run(["transcribe", nan, Self.sample, "--output-dir", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nan.wav: sample "), "\(result.stderr)")
        #expect(result.stderr.contains(" is nan, not a finite number"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["1089-134686-0001.txt"])
    }

    @Test(.needsModels("tiny.en")) func nonFiniteRawPCMStopsTheStreamAndLeavesNoOutput() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let raw = folder.appendingPathComponent("nan.f32").path
        let samples = [Float](repeating: 0.1, count: 4000) + [.infinity] + [Float](repeating: 0, count: 4000)
        _ = FileManager.default.createFile(atPath: raw, contents: samples.withUnsafeBytes { Data($0) })
        let wav = folder.appendingPathComponent("out.wav").path
        let resample = try SluiceProcess.run([
            "run", "Pipelines/resample.yaml", "-i", raw, "-o", wav, "--set", "input.format=f32le",
            "--set", "input.sample_rate_hz=44100", "--set", "input.channels=1",
        ])
        #expect(resample.status == 1)
        #expect(resample.stderr.contains("sample 4000 is inf, not a finite number"), "\(resample.stderr)")
        #expect(!FileManager.default.fileExists(atPath: wav))
        let stream = try SluiceProcess.run(["transcribe", "--stream", raw, "--input-format", "f32le", "--sample-rate", "16000"])
        #expect(stream.status == 1)
        #expect(stream.stderr.contains("sample 4000 is inf"), "\(stream.stderr)")
    }

    @Test(.needsModels("tiny.en")) func aFullOrBrokenStandardStreamIsExitOneNotACrash() throws {
        let full = try Self.shell("sluice transcribe \(Self.sample) >/dev/full")
        #expect(full.status == 1)
        #expect(full.stderr.contains("stdout: write failed: No space left on device"), "\(full.stderr)")
        #expect(try Self.shell("sluice stages >/dev/full").status == 1)
        #expect(try Self.shell("sluice validate Pipelines/transcribe.yaml >/dev/full").status == 1)
        // Nowhere to report: only the status says it.
        #expect(try SluiceProcess.shell("\"\(SluiceProcess.executable.path)\" transcribe nope.wav 2>/dev/full") == 1)
        #expect(
            try SluiceProcess.shell(
                "\"\(SluiceProcess.executable.path)\" run Pipelines/anomaly.yaml -i Samples/nab-daily-jumpsup.csv >/dev/full 2>/dev/null") == 1)
    }

    @Test(.needsModels("tiny.en")) func outputPathsAreCheckedBeforeAnyDecoding() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let file = folder.appendingPathComponent("afile").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let missing = try SluiceProcess.run(["transcribe", Self.sample, "-o", folder.appendingPathComponent("nodir/x.txt").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nodir: no such folder"), "\(missing.stderr)")
        let underFile = try SluiceProcess.run(["transcribe", Self.sample, "--output-dir", file + "/sub"])
        #expect(underFile.status == 1)
        #expect(underFile.stderr.contains("--output-dir \(file)/sub: cannot create the folder: Not a directory"), "\(underFile.stderr)")
        #expect(!underFile.stderr.contains("NSCocoaErrorDomain"))
        let isFolder = try SluiceProcess.run(["transcribe", Self.sample, "-o", folder.path])
        #expect(isFolder.status == 1)
        #expect(isFolder.stderr.contains("is a folder"))
    }

    @Test func twoInputsWithOneOutputNameAreRefused() throws {
        let folder = try SluiceProcess.temporaryFolder()
        for sub in ["a", "b"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: SluiceProcess.packageRoot.appendingPathComponent(Self.sample).path,
                toPath: folder.appendingPathComponent("\(sub)/x.flac").path)
        }
        let result = try SluiceProcess.run([
            "transcribe", folder.appendingPathComponent("a/x.flac").path,
            folder.appendingPathComponent("b/x.flac").path, "--output-dir", folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("would both write"), "\(result.stderr)")
    }

    @Test func unboundedKnobsAreRefused() throws {
        let beam = try SluiceProcess.run(["transcribe", Self.sample, "--beam-size", "100000"])
        #expect(beam.status == 64)
        #expect(beam.stderr.contains("--beam-size must be in 1...16"))
        let folder = try SluiceProcess.temporaryFolder()
        let pipeline = folder.appendingPathComponent("q.yaml").path
        try """
        version: 1
        input: { type: audio, path: "-", format: s16le, sample_rate_hz: 1 }
        stages:
          - { id: resample, type: audio.resample, sample_rate_hz: 16000, queue: { max_packets: 1000000000000, max_duration_ms: 9223372036854775807 } }
        output: { type: audio, path: out.wav }
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let result = try SluiceProcess.run(["validate", pipeline])
        #expect(result.status == 78)
        #expect(result.stderr.contains("'sample_rate_hz' must be"), "\(result.stderr)")
        #expect(result.stderr.contains("queue option 'max_packets' must be an integer in 1...10000"))
        #expect(result.stderr.contains("queue option 'max_duration_ms' must be an integer in 1...600000"))
    }

    @Test func yamlErrorsAreShortAndCapped() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let duplicate = folder.appendingPathComponent("dup.yaml").path
        try "version: 1\ninput: { type: audio }\n# filler\(String(repeating: " x", count: 5000))\nversion: 1\n"
            .write(toFile: duplicate, atomically: true, encoding: .utf8)
        let result = try SluiceProcess.run(["validate", duplicate])
        #expect(result.status == 78)
        #expect(result.stderr == "\(duplicate):4:1: error: duplicate key 'version' (first at line 1, column 1)\n")

        let many = folder.appendingPathComponent("many.yaml").path
        try ("version: 1\n" + (0..<500).map { "unknown_\($0): 1\n" }.joined()).write(toFile: many, atomically: true, encoding: .utf8)
        let capped = try SluiceProcess.run(["validate", many])
        #expect(capped.status == 78)
        let lines = capped.stderr.split(separator: "\n")
        #expect(lines.count == 51)
        #expect(lines.last?.hasSuffix("more errors not shown") == true)

        let huge = folder.appendingPathComponent("huge.yaml").path
        try ("version: 1\n" + String(repeating: "# comment\n", count: 200_000)).write(toFile: huge, atomically: true, encoding: .utf8)
        let big = try SluiceProcess.run(["validate", huge])
        #expect(big.status == 78)
        #expect(big.stderr.contains("a pipeline file is at most 1048576 bytes"))
    }
}
