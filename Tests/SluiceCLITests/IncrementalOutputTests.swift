import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// `sluice transcribe` writes segments as it decodes them, so a long transcription can be followed with
/// `tail -f`. Model-backed: needs `sluice models fetch tiny.en`.
@Suite(.needsModels("tiny.en")) struct IncrementalOutputTests {
    /// The sample three times with 12 s of silence between: 34 s, two windows to decode; its path and seconds.
    static func longRecording(in folder: URL) throws -> (path: String, seconds: Double) {
        let reader = try AudioDecoder(path: SluiceProcess.packageRoot.appendingPathComponent(TranscribeCommandTests.sample).path)
        var speech: [Float] = [], chunk: [Float] = []
        while case let frames = try reader.read(into: &chunk, maxFrames: 16000), frames > 0 { speech += chunk[0..<frames] }
        let silence = [Float](repeating: 0, count: 12 * reader.sampleRate)
        let audio = speech + silence + speech + silence + speech
        let path = folder.appendingPathComponent("long.wav").path
        let writer = try AudioFileWriter(path: path, container: .wav, sampleFormat: .pcm16, sampleRate: reader.sampleRate, channels: 1)
        try writer.write(audio)
        try writer.finish()
        return (path, Double(audio.count) / Double(reader.sampleRate))
    }

    @Test(arguments: ["txt", "srt"]) func segmentsReachStdoutBeforeTheEnd(format: String) throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.longRecording(in: folder).path
        let outPath = folder.appendingPathComponent("out").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["transcribe", input, "--format", format, "--threads", "1"]
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // What `tail -f` would see while the process still runs: the output growing a window at a time.
        var seenWhileRunning: [String] = []
        while process.isRunning {
            let now = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
            if process.isRunning, !now.isEmpty, now != seenWhileRunning.last { seenWhileRunning.append(now) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let whole = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        // The last window's text may land just before the process exits, so only an earlier part is sure to be seen.
        let first = try #require(seenWhileRunning.first, "nothing was written while the process ran")
        #expect(first.count < whole.count, "the transcript came at once: \(first)")
        #expect(seenWhileRunning.allSatisfy { whole.hasPrefix($0) })
        #expect(whole.components(separatedBy: "belly").count - 1 == 3, "\(whole)")
    }

    /// Live captions (`--format terminal`) written to a file or a pipe are the final lines, without escape codes.
    @Test func terminalCaptionsAreFinalLinesOffATerminal() throws {
        let captions = try SluiceProcess.run(["transcribe", TranscribeCommandTests.sample, "--stream", "--format", "terminal"])
        #expect(captions.status == 0, "\(captions.stderr)")
        #expect(!captions.stdoutText.contains("\u{1B}") && !captions.stdoutText.contains("\r"), "\(captions.stdoutText)")
        let lines = try SluiceProcess.run(["transcribe", TranscribeCommandTests.sample, "--stream", "--format", "txt"])
        #expect(captions.stdoutText == lines.stdoutText && captions.stdoutText.contains("belly"), "\(captions.stdoutText)")
    }
}
