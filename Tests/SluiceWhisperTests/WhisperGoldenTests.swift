import Foundation
import SluiceAudio
import SluiceTestSupport
import SluiceWhisper
import Testing

/// tiny.en against faster-whisper 1.2.1 / CTranslate2 4.8.5 in float32 on a LibriSpeech clip
/// (Fixtures/make_golden.py). Model-backed: needs `sluice models fetch tiny.en`.
@Suite struct WhisperGoldenTests {
    struct Golden: Decodable {
        struct Word: Decodable {
            var word: String
            var start: Double
            var end: Double
            var probability: Double
        }

        struct Segment: Decodable {
            var start: Double
            var end: Double
            var text: String
            var tokens: [Int]
            var avg_logprob: Double
            var no_speech_prob: Double
            var words: [Word]?
        }

        struct Run: Decodable {
            var text: String
            var segments: [Segment]
        }

        var greedy: Run
        var beam5: Run
    }

    struct EncoderSummary: Decodable {
        struct Statistics: Decodable {
            var sum: Double
            var mean: Double
            var std: Double
        }

        struct LogMel: Decodable {
            var content_frames: Int
            var content: Statistics
            var frame0_first8: [Float]
            var frame100_first8: [Float]
            var last_frame_first8: [Float]
        }

        struct Encoder: Decodable {
            var whole: Statistics
            var rows_first8: [String: [Float]]
        }

        var log_mel: LogMel
        var encoder: Encoder
    }

    static let clip = FixtureFiles.sample("1089-134686-0001.flac")

    private func features() throws -> MelFeatures { try MelFeatures.read(AudioDecoder(path: Self.clip), mels: 80) }

    @Test func logMelMatchesFasterWhisper() throws {
        let expected = try FixtureFiles.decode(EncoderSummary.self, from: "encoder-1089-134686-0001.json").log_mel
        let mel = try features()
        #expect(mel.contentFrames == expected.content_frames)
        let content = mel.values[0..<(mel.contentFrames * 80)]
        let mean = content.reduce(0.0) { $0 + Double($1) } / Double(content.count)
        #expect(abs(mean - expected.content.mean) < 1e-5)
        for (frame, values) in [(0, expected.frame0_first8), (100, expected.frame100_first8), (mel.contentFrames - 1, expected.last_frame_first8)] {
            for (index, value) in values.enumerated() { #expect(abs(mel.values[frame * 80 + index] - value) < 1e-4, "frame \(frame) mel \(index)") }
        }
    }

    @Test(.needsModels("tiny.en")) func encoderMatchesCTranslate2() throws {
        let model = try FixtureFiles.tinyEnglishModel()
        let expected = try FixtureFiles.decode(EncoderSummary.self, from: "encoder-1089-134686-0001.json").encoder
        let mel = try features()
        let encoded = model.encode(mel: mel.window(start: 0, count: mel.contentFrames, total: 3000))
        #expect(encoded.count == 1500 * 384)
        let mean = encoded.reduce(0.0) { $0 + Double($1) } / Double(encoded.count)
        let std = (encoded.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(encoded.count)).squareRoot()
        #expect(abs(mean - expected.whole.mean) < 1e-4)
        #expect(abs(std - expected.whole.std) < 1e-4)
        var worst: Float = 0
        for (row, values) in expected.rows_first8 {
            for (index, value) in values.enumerated() { worst = max(worst, abs(encoded[Int(row)! * 384 + index] - value)) }
        }
        #expect(worst < 2e-3, "largest difference \(worst)")
    }

    @Test(.needsModels("tiny.en")) func greedyWithWordTimestampsMatchesFasterWhisper() throws {
        let golden = try FixtureFiles.decode(Golden.self, from: "golden-1089-134686-0001.json").greedy
        var options = TranscriptionOptions()
        options.decoding.beamSize = 1
        options.wordTimestamps = true
        let transcript = try Transcriber(model: try FixtureFiles.tinyEnglishModel(), options: options).transcribe(try features())
        try compare(transcript, golden, words: true)
    }

    @Test(.needsModels("tiny.en")) func beamSearchMatchesFasterWhisper() throws {
        let golden = try FixtureFiles.decode(Golden.self, from: "golden-1089-134686-0001.json").beam5
        let transcript = try Transcriber(model: try FixtureFiles.tinyEnglishModel(), options: TranscriptionOptions()).transcribe(try features())
        try compare(transcript, golden, words: false)
    }

    private func compare(_ transcript: Transcript, _ golden: Golden.Run, words: Bool) throws {
        #expect(transcript.text == golden.text)
        try #require(transcript.segments.count == golden.segments.count)
        for (segment, expected) in zip(transcript.segments, golden.segments) {
            #expect(segment.tokens == expected.tokens)
            #expect(abs(segment.start - expected.start) < 0.011 && abs(segment.end - expected.end) < 0.011)
            #expect(abs(segment.averageLogProbability - expected.avg_logprob) < 2e-3)
            #expect(abs(segment.noSpeechProbability - expected.no_speech_prob) < 1e-3)
            guard words, let expectedWords = expected.words else { continue }
            let actual = try #require(segment.words)
            #expect(actual.map(\.word) == expectedWords.map(\.word))
            for (word, reference) in zip(actual, expectedWords) {
                #expect(abs(word.start - reference.start) < 0.011 && abs(word.end - reference.end) < 0.011, "\(word.word)")
                #expect(abs(word.probability - reference.probability) < 0.01, "\(word.word)")
            }
        }
    }

    /// Whisper decodes "You" from digital silence and dots from noise; the speech gate skips such windows.
    @Test(.needsModels("tiny.en")) func silenceAndNoiseGiveNoText() throws {
        let model = try FixtureFiles.tinyEnglishModel()
        var generator = SeededGenerator(seed: 8)
        let seconds = 16000 * 8
        let white = (0..<seconds).map { _ in Float.random(in: -0.3...0.3, using: &generator) }
        var level: Float = 0
        let brown = (0..<seconds).map { _ in
            level = max(-0.5, min(0.5, level + Float.random(in: -0.01...0.01, using: &generator)))
            return level
        }
        for (name, audio) in [("silence", [Float](repeating: 0, count: seconds)), ("white noise", white), ("brown noise", brown)] {
            let transcript = try Transcriber(model: model, options: TranscriptionOptions()).transcribe(
                MelFeatures(samples: audio, mels: model.config.mels))
            #expect(transcript.segments.isEmpty, "\(name): \(transcript.text)")
        }
    }

    @Test(.needsModels("tiny.en")) func corruptOrIncompleteModelDirectoriesAreReported() throws {
        let source = try FixtureFiles.tinyEnglishModel().directory
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whisper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try WhisperModel(directory: folder.path)
            Issue.record("an empty folder loaded")
        } catch {
            #expect("\(error)" == "\(folder.path): not a CTranslate2 Whisper model (no model.bin)")
        }
        for file in ["config.json", "tokenizer.json"] {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: folder.appendingPathComponent(file).path)
        }
        let model = try Data(contentsOf: URL(fileURLWithPath: "\(source)/model.bin"))
        try model.prefix(model.count / 2).write(to: folder.appendingPathComponent("model.bin"))
        do {
            _ = try WhisperModel(directory: folder.path)
            Issue.record("a truncated model.bin loaded")
        } catch {
            #expect("\(error)".contains("model.bin: truncated in '"))
        }
    }
}
