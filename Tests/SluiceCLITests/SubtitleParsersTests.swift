import Foundation
import SluiceTestSupport
import Testing

/// Subtitles as the tools people use read them: `srt` and `webvtt-py` (Python, in the venv `Scripts/test`
/// installs) parse every file, every line within the width, every cue inside the audio and after the one before
/// (Tests/Tools/check_subtitles.py). Model-backed: needs tiny.en.
@Suite(.needsModels("tiny.en")) struct SubtitleParsersTests {
    /// The venv's Python: `$SLUICE_TEST_TOOLS`, else ~/.cache/sluice/test-tools.
    static var python: String {
        let tools =
            ProcessInfo.processInfo.environment["SLUICE_TEST_TOOLS"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/sluice/test-tools").path
        return tools + "/bin/python3"
    }

    @Test(arguments: [(16, 2), (42, 1)]) func subtitleParsersReadEveryCueWithinTheLayout(width: Int, lines: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            if TestModels.required { Issue.record("no \(Self.python): Scripts/test installs the subtitle parsers (srt, webvtt-py)") }
            return
        }
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (input, duration) = try IncrementalOutputTests.longRecording(in: folder)
        var files: [String] = []
        for format in ["srt", "vtt"] {
            let path = folder.appendingPathComponent("long.\(format)").path
            let written = try SluiceProcess.run(
                [
                    "transcribe", input, "--format", format, "--word-timestamps", "--max-line-width", "\(width)", "--max-line-count", "\(lines)",
                    "-o", path,
                ])
            #expect(written.status == 0, "\(written.stderr)")
            files.append(path)
        }
        let check = try SluiceProcess.run(
            [SluiceProcess.packageRoot.appendingPathComponent("Tests/Tools/check_subtitles.py").path, String(duration), "\(width)", "\(lines)"]
                + files, program: URL(fileURLWithPath: Self.python))
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderr)")
        #expect(check.stdoutText.components(separatedBy: " cues\n").count == 3, "\(check.stdoutText)")
    }
}
