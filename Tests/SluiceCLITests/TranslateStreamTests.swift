import Foundation
import SluiceTestSupport
import Testing

/// `sluice transcribe --stream --task translate`, `Pipelines/translate-stream.yaml` and `sluice simul score`
/// (model-backed: Whisper base).
@Suite struct TranslateStreamTests {
    @Test(.needsModels("base")) func writesEnglishTargetEventsWithWhatWasReadWhenEachWasWritten() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try SluiceProcess.run([
            "transcribe", "--stream", "--task", "translate", "--language", "fr", "--format", "jsonl",
            "--source-lane", "Samples/speech-fr.wav",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try result.stdoutText.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let targets = events.filter { $0["lane"] as? String == "target" && $0["type"] as? String == "final" }
        #expect(targets.map { $0["text"] as? String ?? "" }.joined().contains("Annie"))
        #expect(targets.allSatisfy { $0["source_audio_s"] is Double && $0["source_words"] is Int && $0["language"] as? String == "fr" })
        #expect(events.contains { $0["lane"] as? String == "source" })

        // Scored as SimulEval does: one instance, AL in seconds and in source words.
        let log = folder.appendingPathComponent("fr.jsonl")
        try result.stdout.write(to: log)
        let references = folder.appendingPathComponent("references.txt")
        try Data("the floor is to mrs annie le houerou\n".utf8).write(to: references)
        let score = try SluiceProcess.run(["simul", "score", log.path, "--references", references.path])
        #expect(score.status == 0, "\(score.stderr)")
        let scores = try #require(try JSONSerialization.jsonObject(with: score.stdout) as? [String: Any])
        #expect(scores["instances"] as? Int == 1)
        let al = try #require(scores["AL"] as? Double), computed = try #require(scores["AL_ca"] as? Double)
        #expect(al > 0 && al < 3.7, "words are written before the 3.6 s clip ends")
        #expect(computed >= al)
        #expect(scores["AL_words"] is Double && scores["chrf"] is Double)
    }

    @Test(.needsModels("base")) func interleavedOutputAlternatesSourceReadAndTargetWritten() throws {
        let result = try SluiceProcess.run([
            "transcribe", "--stream", "--task", "translate", "--language", "fr", "--format", "interleaved",
            "Samples/speech-fr.wav",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = result.stdoutText.split(separator: "\n")
        #expect(steps.count >= 2)
        for step in steps {
            #expect(step.hasSuffix("<|end-of-write|>") && step.components(separatedBy: "<|end-of-read|>").count == 2, "\(step)")
        }
        #expect(result.stdoutText.lowercased().contains("parole"), "the source lane is French")
    }

    @Test(.needsModels("base")) func silenceGivesNoText() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let silence = folder.appendingPathComponent("silence.raw").path
        _ = FileManager.default.createFile(atPath: silence, contents: Data(count: 16000 * 2 * 20))  // 20 s of s16le zeros
        let result = try SluiceProcess.run([
            "run", "Pipelines/translate-stream.yaml", "-i", silence, "--set", "input.format=s16le",
            "--set", "input.sample_rate_hz=16000", "--set", "input.channels=1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdoutText)")
    }

    @Test(.needsModels("tiny.en")) func anEnglishOnlyModelIsAConfigurationError() throws {
        let result = try SluiceProcess.run(["transcribe", "--stream", "--task", "translate", "--model", "tiny.en", "Samples/speech-fr.wav"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("tiny.en is English-only; translation needs a multilingual model (base)"), "\(result.stderr)")
    }

    @Test func aBeamSizeIsAUsageError() throws {
        // The translation stream decodes greedily: a --beam-size it would ignore is refused.
        let result = try SluiceProcess.run(["transcribe", "--stream", "--task", "translate", "--beam-size", "5", "Samples/speech-fr.wav"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--beam-size applies to transcription streams"), "\(result.stderr)")
    }

    @Test func aReferenceFileOfTheWrongLengthIsAClearError() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let references = folder.appendingPathComponent("references.txt")
        try Data("one\ntwo\n".utf8).write(to: references)
        let result = try SluiceProcess.run(["simul", "score", "Samples/speech-fr.wav", "--references", references.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("2 references for 1 event logs"), "\(result.stderr)")
    }
}
