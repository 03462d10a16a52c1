import Foundation
import SluiceTestSupport
import Testing

/// `sluice transcribe` and `Pipelines/transcribe.yaml` end to end with tiny.en (model-backed: needs
/// `sluice models fetch tiny.en`).
@Suite struct TranscribeCommandTests {
    static let sample = "Samples/1089-134686-0001.flac"
    static let sampleText = "Stuffed it into you, his belly counseled him."

    @Test(.needsModels("tiny.en")) func transcribesAFileToStdout() throws {
        let result = try SluiceProcess.run(["transcribe", Self.sample])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == Self.sampleText + "\n")
    }

    @Test(.needsModels("tiny.en")) func transcribesStdin() throws {
        let result = try SluiceProcess.run(
            ["transcribe", "-", "--beam-size", "1", "--format", "json"],
            stdinFile: SluiceProcess.packageRoot.appendingPathComponent(Self.sample).path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "{\"text\":\"Stuffered into you, his belly counseled him.\"}\n")
    }

    @Test(.needsModels("tiny.en")) func outputFolderGetsOneFilePerInputAndABadInputFailsAlone() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let nested = folder.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let speech = nested.appendingPathComponent("speech.flac").path
        try FileManager.default.copyItem(atPath: SluiceProcess.packageRoot.appendingPathComponent(Self.sample).path, toPath: speech)
        let output = folder.appendingPathComponent("out").path
        let result = try SluiceProcess.run(["transcribe", "Samples/nile.csv", speech, "--format", "srt", "--output-dir", output])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("sluice: error: Samples/nile.csv: not an audio file"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == ["speech.srt"])
        let srt = try String(contentsOfFile: "\(output)/speech.srt", encoding: .utf8)
        // One cue (no pause), its 45 characters in two lines split after the comma.
        #expect(srt == "1\n00:00:00,000 --> 00:00:03,000\nStuffed it into you,\nhis belly counseled him.\n\n")
    }

    @Test(.needsModels("tiny.en")) func outputFileGetsTheTranscriptOrTheStreamEvents() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let text = folder.appendingPathComponent("t.txt").path
        let result = try SluiceProcess.run(["transcribe", Self.sample, "-o", text])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.isEmpty)
        #expect(try String(contentsOfFile: text, encoding: .utf8) == Self.sampleText + "\n")
        let events = folder.appendingPathComponent("t.jsonl").path
        let stream = try SluiceProcess.run(["transcribe", "--stream", Self.sample, "--format", "jsonl", "--output", events])
        #expect(stream.status == 0, "\(stream.stderr)")
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        let finals = try lines.compactMap { line -> String? in
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return event["type"] as? String == "final" ? event["text"] as? String : nil
        }
        #expect(!finals.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["t.jsonl", "t.txt"])
        let two = try SluiceProcess.run(["transcribe", Self.sample, Self.sample, "-o", text])
        #expect(two.status == 64)
        #expect(two.stderr.contains("--output takes one input"))
    }

    @Test(.needsModels("tiny.en")) func verboseJSONCarriesSegmentsAndWords() throws {
        let result = try SluiceProcess.run(["transcribe", Self.sample, "--format", "verbose_json", "--word-timestamps"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(json["language"] as? String == "english")
        #expect(json["duration"] as? Double == 3.275)
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.count == 1)
        let words = try #require(segments[0]["words"] as? [[String: Any]])
        #expect(words.map { $0["word"] as? String ?? "" }.joined() == " " + Self.sampleText)
    }

    @Test(.needsModels("tiny.en")) func pipelineWritesTheTranscriptAtomically() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("t.json").path
        let result = try SluiceProcess.run(["run", "Pipelines/transcribe.yaml", "-i", Self.sample, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect(json["text"] as? String == Self.sampleText)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["t.json"])
    }

    /// A progress line on a terminal (run under `script`, which gives the command a pseudo-terminal); none in a pipe.
    @Test(.needsModels("tiny.en")) func progressShowsOnATerminalOnly() throws {
        let command = "\(SluiceProcess.executable.path) transcribe \(Self.sample) --threads 1"
        let terminal = try SluiceProcess.run(["-qfec", command, "/dev/null"], program: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.stdoutText.contains("1089-134686-0001.flac [........................] 0.0/"), "\(terminal.stdoutText)")
        #expect(terminal.stdoutText.contains("[########################]"), "\(terminal.stdoutText)")
        #expect(terminal.stdoutText.contains(Self.sampleText))
        let piped = try SluiceProcess.run(["transcribe", Self.sample, "--threads", "1"])
        #expect(piped.status == 0)
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
    }

    /// Caption layout on real output: narrow lines, every cue inside the audio, in order, as `srt` parsers expect.
    @Test(.needsModels("tiny.en")) func subtitlesKeepToTheLineWidthAndTheAudio() throws {
        let srt = try SluiceProcess.run(["transcribe", Self.sample, "--format", "srt", "--word-timestamps", "--max-line-width", "16"])
        #expect(srt.status == 0, "\(srt.stderr)")
        let verbose = try SluiceProcess.run(["transcribe", Self.sample, "--format", "verbose_json"])
        let duration = try #require(try JSONSerialization.jsonObject(with: verbose.stdout) as? [String: Any])["duration"] as? Double
        func seconds(_ time: Substring) -> Double {
            let parts = time.split(whereSeparator: { $0 == ":" || $0 == "," }).compactMap { Double($0) }
            return parts[0] * 3600 + parts[1] * 60 + parts[2] + parts[3] / 1000
        }
        let cues = srt.stdoutText.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(cues.count >= 2)
        var previousEnd = 0.0
        var words: [String] = []
        for (index, cue) in cues.enumerated() {
            let lines = cue.split(separator: "\n")
            #expect(lines[0] == "\(index + 1)")
            let times = lines[1].components(separatedBy: " --> ").map { seconds(Substring($0)) }
            #expect(previousEnd <= times[0] && times[0] < times[1] && times[1] <= (duration ?? 0) + 0.0005, "\(cue)")
            previousEnd = times[1]
            #expect((3...4).contains(lines.count) && lines[2...].allSatisfy { $0.count <= 16 }, "\(cue)")
            words += lines[2...].flatMap { $0.split(separator: " ").map(String.init) }
        }
        #expect(words.joined(separator: " ") == Self.sampleText)
    }

    @Test func missingModelNamesTheFetchCommand() throws {
        let empty = try SluiceProcess.temporaryFolder()
        let message = "sluice: error: model 'tiny.en' is not installed; run: sluice models fetch tiny.en\n"
        for arguments in [["transcribe", Self.sample], ["transcribe", "--stream", Self.sample]] {
            let result = try SluiceProcess.run(arguments, environment: ["SLUICE_MODELS": empty.path])
            #expect(result.status == 78, "\(arguments)")
            #expect(result.stderr == message, "\(arguments)")
        }
        let validate = try SluiceProcess.run(["validate", "Pipelines/transcribe.yaml"], environment: ["SLUICE_MODELS": empty.path])
        #expect(validate.status == 78)
        #expect(validate.stderr.contains("model 'tiny.en' is not installed; run: sluice models fetch tiny.en"))
    }

    @Test func usageErrors() throws {
        #expect(try SluiceProcess.run(["transcribe", Self.sample, "--format", "docx"]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", Self.sample, Self.sample]).status == 64)
        #expect(try SluiceProcess.run(["transcribe", Self.sample, "--task", "summarise"]).status == 64)
        let unknown = try SluiceProcess.run(["transcribe", Self.sample, "--model", "huge"])
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("'huge' is neither a known model"))
    }
}
