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
