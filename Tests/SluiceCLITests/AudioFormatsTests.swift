import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// The formats people bring (`Tests/SluiceAudioTests/Fixtures/formats`: M4A, MP4 with video, WebM/Opus, MP3,
/// AMR-NB, 8 kHz µ-law WAV, all the LibriSpeech sample) transcribe from files, stdin, `sluice batch` and
/// the HTTP endpoint to the same text as the same audio in WAV (model-backed: tiny.en).
///
/// One test, run in order, so that its few processes share the reference and do not compete for the cores.
@Suite struct AudioFormatsTests {
    static let folder = "Tests/SluiceAudioTests/Fixtures/formats"
    static let files = ["speech-aac.m4a", "speech-h264.mp4", "speech-opus.webm", "speech.mp3", "speech-amrnb.amr", "speech-ulaw8k.wav"]
    static func path(_ file: String) -> String { SluiceProcess.packageRoot.appendingPathComponent("\(folder)/\(file)").path }
    static func stem(_ file: String) -> String { String(file.prefix { $0 != "." }) }

    /// The text of `sluice transcribe` on the FLAC the fixtures were made from.
    static let flacWords = SpeechSample.words("Stuffed it into you, his belly counseled him.")

    /// Each fixture's audio, as decoded, in a float WAV at its own rate and channels ("the same audio in WAV").
    static func writeWAVs(into folder: URL) throws -> [String] {
        try files.map { file in
            let decoder = try AudioDecoder(path: path(file))
            var samples: [Float] = []
            var buffer: [Float] = []
            while case let frames = try decoder.read(into: &buffer, maxFrames: 16384), frames > 0 {
                samples += buffer[0..<(frames * decoder.channels)]
            }
            let wav = folder.appendingPathComponent("wav-\(stem(file)).wav").path
            let writer = try AudioFileWriter(
                path: wav, container: .wav, sampleFormat: .float32, sampleRate: decoder.sampleRate, channels: decoder.channels)
            try writer.write(samples)
            try writer.finish()
            return wav
        }
    }

    @Test(.needsModels("tiny.en")) func everyFormatTranscribesAsItsWAVFromFilesStdinBatchAndTheService() throws {
        let work = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }

        // Files: the six and their WAVs in one process.
        let wavs = try Self.writeWAVs(into: work)
        let out = work.appendingPathComponent("out").path
        let files = try SluiceProcess.run(["transcribe"] + Self.files.map(Self.path) + wavs + ["--output-dir", out])
        #expect(files.status == 0, "\(files.stderr)")
        func text(_ name: String, in folder: String = out) -> String {
            ((try? String(contentsOfFile: "\(folder)/\(name).txt", encoding: .utf8)) ?? "(none)").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var reference: [String: String] = [:]
        for file in Self.files {
            let stem = Self.stem(file)
            reference[file] = text("wav-\(stem)")
            #expect(text(stem) == reference[file], "\(file)")
            // Lossy codecs may move tiny.en across one close call (the FLAC's "Stuffed" is "Stuff" in some).
            #expect(ServeTests.wordDistance(SpeechSample.words(text(stem)), Self.flacWords) <= 1, "\(file): \(text(stem))")
        }

        // Stdin: formats that stream, and one that cannot (an M4A with its index last).
        for file in ["speech-opus.webm", "speech-h264.mp4"] {
            let piped = try SluiceProcess.run(["transcribe", "-"], stdinFile: Self.path(file))
            #expect(piped.status == 0 && piped.stdoutText.trimmingCharacters(in: .newlines) == reference[file], "\(file): \(piped.stderr)")
        }
        let live = try SluiceProcess.run(["transcribe", "--stream", "-", "--format", "jsonl"], stdinFile: Self.path("speech-amrnb.amr"))
        #expect(live.status == 0, "\(live.stderr)")
        let finals = live.stdoutText.split(separator: "\n").compactMap { line -> String? in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], event["type"] as? String == "final"
            else { return nil }
            return event["text"] as? String
        }
        #expect(ServeTests.wordDistance(SpeechSample.words(finals.joined()), Self.flacWords) <= 2, "\(finals)")
        let m4a = try SluiceProcess.run(["transcribe", "-"], stdinFile: Self.path("speech-aac.m4a"))
        #expect(m4a.status == 1 && m4a.stdout.isEmpty)
        #expect(m4a.stderr.hasPrefix("sluice: error: stdin: this MP4/M4A keeps its index (the moov box) after its audio"), "\(m4a.stderr)")
        #expect(m4a.stderr.split(separator: "\n").count == 1)

        // Batch over the fixtures' folder: all six found, the README and the encoder's source skipped and said.
        let batchOut = work.appendingPathComponent("batch").path
        let batch = try SluiceProcess.run([
            "batch", Self.folder, "--pipeline", "Pipelines/transcribe.yaml", "--set", "asr.format=txt", "--out", batchOut,
        ])
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stderr.contains("6 inputs found"))
        #expect(
            batch.stderr.contains(
                "skipped 2 files with an extension the pipeline's input does not read: \(Self.folder)/README.md, \(Self.folder)/make-amrnb.c"),
            "\(batch.stderr)")
        for file in Self.files { #expect(text(Self.stem(file), in: batchOut) == reference[file], "batch \(file)") }

        // The service: one server, an upload of each, and a corrupt one (an M4A cut before its index).
        let server = try ServerProcess(ServeTests.pipelines)
        for file in Self.files {
            let upload = try server.curl(
                "/v1/audio/transcriptions", ["-F", "file=@\(Self.path(file))", "-F", "model=whisper-1", "-F", "response_format=text"])
            #expect(
                upload.status == 200 && upload.body.trimmingCharacters(in: .whitespacesAndNewlines) == reference[file],
                "upload \(file): \(upload.body)")
        }
        let cut = work.appendingPathComponent("cut.m4a").path
        _ = FileManager.default.createFile(
            atPath: cut, contents: try Data(contentsOf: URL(fileURLWithPath: Self.path("speech-aac.m4a"))).prefix(12000))
        let corrupt = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(cut)", "-F", "model=whisper-1"])
        #expect(corrupt.status == 415)
        #expect(corrupt.body.contains("cannot decode 'cut.m4a' as audio: cut.m4a: cannot read the mov,mp4,m4a"), "\(corrupt.body)")
        #expect(corrupt.body.contains("moov atom not found") && !corrupt.body.contains(NSTemporaryDirectory()))
        #expect(server.stop() == 0)
    }

    /// A corrupt file among good ones: one line naming it, exit 1, and no output for it.
    @Test(.needsModels("tiny.en")) func aCorruptFileFailsAloneWithOneLineAndNoOutput() throws {
        let work = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let noise = Data(
            (0..<16000).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        let random = work.appendingPathComponent("random.mp3").path
        _ = FileManager.default.createFile(atPath: random, contents: noise)
        let out = work.appendingPathComponent("out").path
        let result = try SluiceProcess.run(["transcribe", random, Self.path("speech-amrnb.amr"), "--output-dir", out])
        #expect(result.status == 1)
        #expect(result.stderr == "sluice: error: \(random): not an audio file (neither libsndfile nor FFmpeg recognises its format)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["speech-amrnb.txt"])
    }
}
