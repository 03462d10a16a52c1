import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// The live-captions page at `/` in a real browser: headless Chromium (Debian `chromium`, which
/// `Scripts/bootstrap` installs) whose fake microphone plays a LibriSpeech utterance, driven over the DevTools
/// protocol by `Tests/Tools/web_page_check.py` (the `websockets` package, in the venv `Scripts/test` installs).
/// Model-backed: tiny.en. The screenshot is kept in `.build/test-output/web-page/`.
@Suite(.serialized, .needsModels("tiny.en")) struct WebPageTests {
    static let chromium = "/usr/bin/chromium"
    /// LibriSpeech test-clean 1089-134686-0000 (10.4 s), and its reference transcript.
    static let sample = "Samples/1089-134686-0000.flac"
    static let reference = SpeechSample.words(
        "HE HOPED THERE WOULD BE STEW FOR DINNER TURNIPS AND CARROTS AND BRUISED POTATOES AND FAT MUTTON PIECES TO BE LADLED OUT "
            + "IN THICK PEPPERED FLOUR FATTENED SAUCE")

    /// What the browser driver saw on the page.
    struct PageResult: Decodable {
        var stream_state: String
        var final_text: String
        var upload_state: String
        var upload_text: String
        var error: String
        var console: [String]
    }

    @Test func microphoneWordsAndAnUploadsTextAppearOnThePage() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium), FileManager.default.isExecutableFile(atPath: SubtitleParsersTests.python)
        else {
            if TestModels.required { Issue.record("no \(Self.chromium) or \(SubtitleParsersTests.python): Scripts/test installs both") }
            return
        }
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The fake microphone loops its file: silence around the speech lets the last words settle first.
        let speech = folder.appendingPathComponent("speech.wav").path
        let silence = [Float](repeating: 0, count: 16000)
        let writer = try AudioFileWriter(path: speech, container: .wav, sampleFormat: .pcm16, sampleRate: 16000, channels: 1)
        try writer.write(silence + SpeechSample.read(Self.sample) + silence + silence + silence)
        try writer.finish()
        let output = SluiceProcess.packageRoot.appendingPathComponent(".build/test-output/web-page")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let screenshot = output.appendingPathComponent("screenshot.png")
        try? FileManager.default.removeItem(at: screenshot)

        // Uploads as `sluice serve` decodes them by default: beam 5, no word times. (With word times, tiny.en's
        // alignment of this utterance moves the next window past "mutton pieces to be ladled out in".)
        let files = folder.appendingPathComponent("transcribe-files.yaml")
        try Data(
            """
            version: 1
            input: { type: audio, path: "-" }
            stages:
              - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
              - { id: asr, type: whisper.transcribe, model: tiny.en, beam_size: 5 }
            output: { type: text, path: "-" }
            """.utf8
        ).write(to: files)
        let server = try ServerProcess(["--pipeline", "Pipelines/transcribe-stream.yaml", files.path])
        let driver = try SluiceProcess.run(
            [
                SluiceProcess.packageRoot.appendingPathComponent("Tests/Tools/web_page_check.py").path, Self.chromium,
                "http://127.0.0.1:\(server.port)/", speech, Self.sample, "\(Self.reference.count)", screenshot.path, "90",
            ], program: URL(fileURLWithPath: SubtitleParsersTests.python))
        #expect(server.stop() == 0)
        try #require(driver.status == 0, "\(driver.stderr)\nserver: \(server.stderr)")
        let page = try JSONDecoder().decode(PageResult.self, from: driver.stdout)

        #expect(page.stream_state == "closed", "\(page.error) \(page.console)")
        #expect(page.error.isEmpty && page.console.isEmpty, "\(page.error) \(page.console)")
        // The loop may have started again before the stop: the first words are the utterance.
        let heard = Array(SpeechSample.words(page.final_text).prefix(Self.reference.count))
        let streamErrors = ServeTests.wordDistance(heard, Self.reference)
        #expect(Double(streamErrors) <= 0.1 * Double(Self.reference.count), "final lane: \(page.final_text)")
        #expect(page.upload_state == "done")
        let uploaded = SpeechSample.words(page.upload_text)
        #expect(Double(ServeTests.wordDistance(uploaded, Self.reference)) <= 0.1 * Double(Self.reference.count), "upload: \(page.upload_text)")

        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        Attachment.record(png, named: "web-page.png")
    }

    @Test func thePagesFilesAreServedWithTheirTypes() throws {
        let server = try ServerProcess(ServeTests.pipelines)
        for (path, type) in [("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")] {
            let answer = try server.curl(path, ["-i"])
            #expect(answer.status == 200, "\(path)")
            #expect(answer.body.lowercased().contains("content-type: \(type); charset=utf-8"), "\(path): \(answer.body.prefix(400))")
            #expect(answer.body.lowercased().contains("cache-control: no-cache"), "\(path)")
        }
        let page = try server.curl("/", ["-i"]).body
        #expect(page.lowercased().contains("content-security-policy: default-src 'self'"))
        #expect(page.contains("<script type=\"module\" src=\"app.js\"></script>"))
        #expect(try server.curl("/nothing.js").status == 404)
        #expect(try server.curl("/../Package.swift", ["--path-as-is"]).status == 404)
        #expect(server.stop() == 0)
    }
}
