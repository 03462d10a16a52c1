import Foundation
import SluiceTestSupport
import Testing

/// The programs in `Examples/`, built by `swift build`, run on the samples: the libraries work on their own.
@Suite struct ExampleProgramTests {
    /// `Examples/TranscribeFile`: SluiceWhisper alone (model-backed: needs `sluice models fetch tiny.en`).
    @Test(.needsModels("tiny.en")) func transcribeFileUsesTheWhisperLibraryAlone() throws {
        let result = try SluiceProcess.run([TranscribeCommandTests.sample], program: SluiceProcess.built("transcribe-file"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == TranscribeCommandTests.sampleText + "\n")
    }

    @Test func transcribeFileWithoutAnArgumentIsAUsageError() throws {
        let result = try SluiceProcess.run([], program: SluiceProcess.built("transcribe-file"))
        #expect(result.status == 64)
        #expect(result.stderr.contains("usage: transcribe-file AUDIO_FILE"))
    }
}
