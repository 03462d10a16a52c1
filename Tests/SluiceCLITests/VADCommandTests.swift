import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// `sluice transcribe --vad` end to end (model-backed: tiny.en and silero-vad).
@Suite struct VADCommandTests {
    /// 4 s of silence, the LibriSpeech sample (3.3 s), 8 s of silence, the sample again, 4 s of silence.
    static func speechWithSilences(in folder: URL) throws -> String {
        let reader = try AudioDecoder(path: SluiceProcess.packageRoot.appendingPathComponent("Samples/1089-134686-0001.flac").path)
        var speech: [Float] = []
        var buffer: [Float] = []
        while true {
            let frames = try reader.read(into: &buffer, maxFrames: 65536)
            guard frames > 0 else { break }
            speech += buffer[0..<frames]
        }
        let second = [Float](repeating: 0, count: 16000)
        let silence = { (seconds: Int) in Array([[Float]](repeating: second, count: seconds).joined()) }
        let path = folder.appendingPathComponent("gaps.wav").path
        let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .pcm16, sampleRate: 16000, channels: 1)
        try writer.write(silence(4) + speech + silence(8) + speech + silence(4))
        try writer.finish()
        return path
    }

    /// faster-whisper 1.2.1, `vad_filter=True`, tiny.en, beam 5, on the same audio: two segments, 3.95–7.15 and
    /// 7.15–18.21 (the second region's segment starts where the first ends, in the joined audio's time);
    /// with word timestamps 3.95–7.49 and 15.91–18.49.
    @Test(.needsModels("tiny.en", "silero-vad")) func segmentTimesMatchFasterWhispersVADFilter() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.speechWithSilences(in: folder)
        for (flags, expected) in [([], [(3.95, 7.15), (7.15, 18.21)]), (["--word-timestamps"], [(3.95, 7.49), (15.91, 18.49)])] {
            let result = try SluiceProcess.run(["transcribe", input, "--vad", "--timings", "--format", "verbose_json"] + flags)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("2 speech regions, 6.3 s of 22.6 s kept"), "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
            let segments = try #require(json["segments"] as? [[String: Any]])
            let times = segments.compactMap { segment in (segment["start"] as? Double).flatMap { s in (segment["end"] as? Double).map { (s, $0) } } }
            #expect(times.count == expected.count, "\(times)")
            for (got, want) in zip(times, expected) {
                #expect(abs(got.0 - want.0) <= 0.1 && abs(got.1 - want.1) <= 0.1, "\(times) against \(expected)")
            }
            #expect(abs((json["duration"] as? Double ?? 0) - 22.55) < 0.01)
            #expect(segments.allSatisfy { ($0["text"] as? String)?.contains("belly") == true })
        }
    }

    /// The `whisper.transcribe` stage's `silero_vad` option does the same (Pipelines/transcribe.yaml has word timestamps).
    @Test(.needsModels("tiny.en", "silero-vad")) func pipelineStageOptionGivesTheSameTimes() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.speechWithSilences(in: folder)
        let output = folder.appendingPathComponent("out.json").path
        let result = try SluiceProcess.run(["run", "Pipelines/transcribe.yaml", "-i", input, "-o", output, "--set", "asr.silero_vad=true"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let segments = try #require(json["segments"] as? [[String: Any]])
        let starts = segments.compactMap { $0["start"] as? Double }, ends = segments.compactMap { $0["end"] as? Double }
        #expect(starts.count == 2 && ends.count == 2)
        for (got, want) in zip(starts + ends, [3.95, 15.91, 7.49, 18.49]) { #expect(abs(got - want) <= 0.1, "\(starts) \(ends)") }
    }

    /// `sluice models fetch silero-vad` checks the faster-whisper wheel's sha256 (a wheel cache with a forged one: no download).
    @Test func fetchRefusesAWheelWithTheWrongDigest() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("wheels"), store = folder.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data("not the wheel".utf8).write(to: cache.appendingPathComponent("faster_whisper-1.2.1-py3-none-any.whl"))
        let result = try SluiceProcess.run(
            ["models", "fetch", "silero-vad", "--wheel-cache", cache.path], environment: ["SLUICE_MODELS": store.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("does not match the expected 79a66ad50688c0b794dd501dc340a736992a6342f7f95e5811be60b5224a26a7"), "\(result.stderr)"
        )
        #expect(!FileManager.default.fileExists(atPath: store.appendingPathComponent("silero-vad").path))
    }

    /// A served pipeline's `silero_vad` applies to uploads: the same segment times as `sluice transcribe --vad`.
    @Test(.needsModels("tiny.en", "silero-vad")) func servedPipelineWithSileroVADCutsUploads() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.speechWithSilences(in: folder)
        let pipeline = folder.appendingPathComponent("vad.yaml")
        try """
        version: 1
        input: { type: audio, path: "-" }
        stages:
          - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
          - { id: asr, type: whisper.transcribe, silero_vad: true }
        output: { type: text, path: "-" }
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let server = try ServerProcess(["--pipeline", pipeline.path])
        let answer = try server.curl(
            "/v1/audio/transcriptions", ["-F", "file=@\(input)", "-F", "model=whisper-1", "-F", "response_format=verbose_json"])
        #expect(answer.status == 200, "\(answer.body)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        let segments = try #require(json["segments"] as? [[String: Any]])
        let times = segments.compactMap { $0["start"] as? Double } + segments.compactMap { $0["end"] as? Double }
        #expect(times.count == 4, "\(segments)")
        for (got, want) in zip(times, [3.95, 7.15, 7.15, 18.21]) { #expect(abs(got - want) <= 0.1, "\(times)") }
        #expect(abs((json["duration"] as? Double ?? 0) - 22.55) < 0.01)
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("tiny.en")) func missingVADModelIsAConfigurationError() throws {
        let store = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: store) }
        let tiny = try SluiceProcess.run(["models", "path", "tiny.en"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createSymbolicLink(atPath: store.appendingPathComponent("tiny.en").path, withDestinationPath: tiny)
        let result = try SluiceProcess.run(
            ["transcribe", "Samples/1089-134686-0001.flac", "--vad"], environment: ["SLUICE_MODELS": store.path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("run: sluice models fetch silero-vad"), "\(result.stderr)")
        let stream = try SluiceProcess.run(
            ["transcribe", "--stream", "Samples/1089-134686-0001.flac", "--vad"], environment: ["SLUICE_MODELS": store.path])
        #expect(stream.status == 78)
        #expect(stream.stderr.contains("silero_vad"), "\(stream.stderr)")
    }
}
