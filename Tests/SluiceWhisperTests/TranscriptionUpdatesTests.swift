import SluiceAudio
import SluiceTestSupport
import Testing

@testable import SluiceWhisper

/// The transcription as an `AsyncSequence` of updates: the same segments as the whole transcription, progress
/// that only grows, and a cancelled consumer stops the decoding. Model-backed: needs tiny.en.
@Suite(.needsModels("tiny.en")) struct TranscriptionUpdatesTests {
    /// The sample `copies` times with 12 s of silence between: three copies are two windows, six are four.
    private func recording(copies: Int, mels: Int) throws -> MelFeatures {
        let reader = try AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac"))
        var speech: [Float] = [], chunk: [Float] = []
        while case let frames = try reader.read(into: &chunk, maxFrames: 16000), frames > 0 { speech += chunk[0..<frames] }
        let silence = [Float](repeating: 0, count: 12 * 16000)
        return MelFeatures(samples: Array((0..<copies).map { _ in speech }.joined(separator: silence)), mels: mels)
    }

    @Test func updatesAddUpToTheTranscript() async throws {
        let model = try FixtureFiles.tinyEnglishModel()
        let features = try recording(copies: 3, mels: model.config.mels)
        let transcriber = Transcriber(model: model)
        var segments: [TranscriptSegment] = []
        var progress: [Double] = []
        for try await update in transcriber.updates(of: features) {
            segments += update.segments
            progress.append(update.done)
            #expect(update.total == Double(features.contentFrames) / 100)
        }
        #expect(segments == (try transcriber.transcribe(features)).segments)
        #expect(segments.count >= 3)
        #expect(progress.count >= 2 && progress == progress.sorted() && progress.last == Double(features.contentFrames) / 100)
    }

    @Test func cancellingTheConsumerStopsTheDecoding() async throws {
        let model = try FixtureFiles.tinyEnglishModel()
        let features = try recording(copies: 6, mels: model.config.mels)
        let statistics = TranscriptionStatistics()
        let consumer = Task {
            var updates = 0
            for try await _ in Transcriber(model: model).updates(of: features, statistics: statistics) {
                updates += 1
                withUnsafeCurrentTask { $0?.cancel() }  // as if the user pressed stop after the first window
            }
            return updates
        }
        #expect(try await consumer.value == 1)
        #expect(statistics.windows == 1, "a window is decoded only when the consumer asks for it")
    }
}
