import Foundation
import SluiceTestSupport
import Testing

/// `sluice transcribe --stream` and `Pipelines/transcribe-stream.yaml` (model-backed: tiny.en).
@Suite struct StreamCommandTests {
    struct Event: Decodable {
        struct Word: Decodable {
            var word: String
            var start: Double
            var end: Double
        }

        var type: String
        var text: String
        var words: [Word]
        var emitted_at: Double
        var audio_end: Double
    }

    private func events(_ output: Data) throws -> [Event] {
        try String(decoding: output, as: UTF8.self).split(separator: "\n").map { try JSONDecoder().decode(Event.self, from: Data($0.utf8)) }
    }

    @Test(.needsModels("tiny.en"), arguments: ["full", "padded"])
    func streamsPartialAndFinalEventsWhoseFinalTextIsTheTranscript(encoder: String) throws {
        let result = try SluiceProcess.run(["transcribe", "--stream", "Samples/1089-134686-0001.flac", "--format", "jsonl", "--encoder", encoder])
        #expect(result.status == 0, "\(result.stderr)")
        let stream = try events(result.stdout)
        #expect(stream.contains { $0.type == "partial" })
        let finals = stream.filter { $0.type == "final" }
        #expect(finals.count >= 2, "words become final step by step")
        let text = finals.map(\.text).joined().lowercased().filter { $0.isLetter || $0 == " " }
        #expect(text.contains("into you his belly counseled him"))
        // Final words are in time order and never overlap an earlier final word.
        let ends = finals.flatMap(\.words).map(\.end)
        #expect(ends == ends.sorted())
        #expect(stream.map(\.audio_end) == stream.map(\.audio_end).sorted())
    }

    /// Without the forced prefix each step re-reads the whole buffer (greedy here); the final text is the same sentence.
    @Test(.needsModels("tiny.en")) func rereadingTheBufferEachStepGivesTheTranscript() throws {
        let result = try SluiceProcess.run([
            "run", "Pipelines/transcribe-stream.yaml", "-i", "Samples/1089-134686-0001.flac",
            "--set", "asr.prefix=false", "--set", "asr.beam_size=1", "--set", "asr.keep_up=false",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let finals = try events(result.stdout).filter { $0.type == "final" }
        #expect(finals.count >= 2, "words become final step by step")
        let text = finals.map(\.text).joined().lowercased().filter { $0.isLetter || $0 == " " }
        #expect(text.contains("into you his belly counseled him"))
    }

    @Test(.needsModels("tiny.en")) func silenceGivesNoFinalText() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let silence = folder.appendingPathComponent("silence.raw").path
        _ = FileManager.default.createFile(atPath: silence, contents: Data(count: 16000 * 2 * 60))  // 60 s of s16le zeros
        let result = try SluiceProcess.run([
            "run", "Pipelines/transcribe-stream.yaml", "-i", silence, "--set", "input.format=s16le",
            "--set", "input.sample_rate_hz=16000", "--set", "input.channels=1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try events(result.stdout).filter { $0.type == "final" }.isEmpty)
    }

    /// 60 s of low white and brown noise as raw s16le on stdin (a live source without a header): no final text.
    @Test(.needsModels("tiny.en")) func lowNoiseOnRawStdinGivesNoFinalText() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {  // deterministic, in [-1, 1)
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 52) - 1
        }
        var level = 0.0
        var samples: [Int16] = []
        for index in 0..<(16000 * 60) {
            if index < 16000 * 30 {
                samples.append(Int16(uniform() * 300))  // white, about −40 dBFS
            } else {
                level = max(-0.05, min(0.05, level + uniform() * 0.002))  // brown, wandering within ±0.05
                samples.append(Int16(level * 32767))
            }
        }
        let raw = samples.withUnsafeBufferPointer { Data(buffer: $0) }
        let result = try SluiceProcess.run(
            [
                "transcribe", "--stream", "-", "--input-format", "s16le", "--sample-rate", "16000",
                "--format", "jsonl",
            ], stdin: raw)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try events(result.stdout).filter { $0.type == "final" }.isEmpty)
    }

    /// Real noise and music alone (Tests/Fixtures/non-speech): no final text. Over them tiny.en writes "APPLAUSE",
    /// "Thank you." or "I don't" unless the gate keeps them from the decoder.
    @Test(.needsModels("tiny.en", "silero-vad"), arguments: ["applause", "crowd_cheering", "piano", "rain", "thunder"])
    func noiseAndMusicAloneGiveNoText(clip: String) throws {
        let result = try SluiceProcess.run([
            "run", "Pipelines/transcribe-stream.yaml", "-i", "Tests/Fixtures/non-speech/\(clip).ogg", "--set", "asr.keep_up=false",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let finals = try events(result.stdout).filter { $0.type == "final" }
        #expect(finals.isEmpty, "\(clip): \(finals.map(\.text))")
    }

    /// `trace` writes a line per step; the final words it reports are the stream's final text.
    @Test(.needsModels("tiny.en", "silero-vad")) func theTraceAccountsForEveryStep() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("steps.jsonl").path
        let result = try SluiceProcess.run([
            "run", "Pipelines/transcribe-stream.yaml", "-i", "Samples/1089-134686-0001.flac", "--set", "asr.keep_up=false",
            "--set", "asr.trace=\(trace)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        // A step every 0.5 s of the 3.3 s sample and one for its last 0.3 s, each with a verdict.
        #expect(steps.count == 7, "\(steps.count) steps")
        #expect(steps.map { $0["audio_end"] as? Double } == [0.5, 1, 1.5, 2, 2.5, 3, 3.275])
        let verdicts = Set(steps.compactMap { $0["verdict"] as? String })
        #expect(verdicts.isSubset(of: ["accepted", "silence", "no_speech", "compression_ratio", "loop", "empty"]), "\(verdicts)")
        #expect(steps.contains { $0["verdict"] as? String == "accepted" && ($0["decoded"] as? String ?? "").contains("belly") })
        // What the steps made final, and the end of stream's flush, is the final lane.
        let finalText = try events(result.stdout).filter { $0.type == "final" }.map(\.text).joined()
        let traced = steps.compactMap { $0["final"] as? String }.joined()
        #expect(finalText.hasPrefix(traced) && traced.count > finalText.count / 2, "\(traced) | \(finalText)")
    }

    @Test func streamUsageErrors() throws {
        #expect(try SluiceProcess.run(["transcribe", "--stream", "Samples/1089-134686-0001.flac", "--format", "srt"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", "--realtime", "Samples/1089-134686-0001.flac"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", "--stream", "--encoder", "half", "Samples/1089-134686-0001.flac"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", "--stream", "-", "--input-format", "s16le"]).status == 64)  // no --sample-rate
        #expect(try SluiceProcess.run(["transcribe", "--stream", "-", "--sample-rate", "8000"]).status == 64)  // not raw
    }

    /// Flags that set stage options are checked by those options' declarations: the same range and message
    /// as a pipeline file, as a usage error; a language is checked as the server checks it.
    @Test func flagsAreCheckedByTheStageDeclarations() throws {
        let step = try SluiceProcess.run(["transcribe", "--stream", "--step-ms", "50", "Samples/1089-134686-0001.flac"])
        #expect(step.status == 64)
        #expect(step.stderr.contains("--step-ms must be in 100...10000, got 50"), "\(step.stderr)")
        let beam = try SluiceProcess.run(["transcribe", "--beam-size", "17", "Samples/1089-134686-0001.flac"])
        #expect(beam.status == 64)
        #expect(beam.stderr.contains("--beam-size must be in 1...16, got 17"), "\(beam.stderr)")
        let language = try SluiceProcess.run(["transcribe", "--language", "xx", "Samples/1089-134686-0001.flac"])
        #expect(language.status == 64)
        #expect(language.stderr.contains("'xx' is not an ISO-639-1 code Whisper knows"), "\(language.stderr)")
    }

    @Test(.needsModels("tiny.en")) func aLanguageTheModelCannotDecodeIsAUsageErrorInBothModes() throws {
        for extra in [[], ["--stream"]] {
            let result = try SluiceProcess.run(["transcribe", "--language", "de"] + extra + ["Samples/1089-134686-0001.flac"])
            #expect(result.status == 64, "\(extra)")
            #expect(result.stderr.contains("the model is English-only, so language 'de' cannot be decoded"), "\(result.stderr)")
        }
    }
}
