import Foundation
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

    @Test func streamsPartialAndFinalEventsWhoseFinalTextIsTheTranscript() throws {
        let result = try SluiceProcess.run(["transcribe", "--stream", "Samples/1089-134686-0001.flac", "--format", "jsonl"])
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

    @Test func silenceGivesNoFinalText() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let silence = folder.appendingPathComponent("silence.raw").path
        _ = FileManager.default.createFile(atPath: silence, contents: Data(count: 16000 * 2 * 60))  // 60 s of s16le zeros
        let result = try SluiceProcess.run(["run", "Pipelines/transcribe-stream.yaml", "-i", silence, "--set", "input.format=s16le",
                                            "--set", "input.sample_rate_hz=16000", "--set", "input.channels=1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try events(result.stdout).filter { $0.type == "final" }.isEmpty)
    }

    @Test func streamUsageErrors() throws {
        #expect(try SluiceProcess.run(["transcribe", "--stream", "Samples/1089-134686-0001.flac", "--format", "srt"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", "--realtime", "Samples/1089-134686-0001.flac"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", "--stream", "--encoder", "half", "Samples/1089-134686-0001.flac"]).status == 64)
    }
}
