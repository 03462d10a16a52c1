import SluiceAudio
import SluiceTestSupport
import SluiceWhisper
import Testing

/// `StreamingTranscriber` on real audio with tiny.en (model-backed: needs `sluice models fetch tiny.en`).
@Suite(.needsModels("tiny.en")) struct StreamingTranscriberTests {
    /// One second of the sample ("to you, his belly"), repeated for 40 s: every hypothesis is a loop and counts
    /// as unsure, so nothing becomes final after the first words. The buffer must still be cut: before, it
    /// grew without end, every step encoded the same first 30 s and decoded a loop, and each step grew slower
    /// (45 s of such audio took 400 s). Steps of 2 s and greedy decoding keep the test short.
    @Test func unsureStepsStillKeepTheBufferShort() throws {
        let reader = try AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac"))
        var audio: [Float] = []
        #expect(try reader.read(into: &audio, maxFrames: 32000) == 32000)
        let snippet = Array(audio[16000..<32000])
        var options = StreamingOptions()
        options.keepUp = false
        options.stepSeconds = 2
        options.decoding.beamSize = 1
        let transcriber = StreamingTranscriber(model: try FixtureFiles.tinyEnglishModel(), options: options)
        var longest = 0.0
        for _ in 0..<40 {
            _ = try transcriber.push(snippet)
            longest = max(longest, transcriber.bufferedSeconds)
        }
        #expect(transcriber.audioEnd == 40)
        #expect(longest < 28, "the buffer reached \(longest) s")
        #expect(transcriber.bufferedSeconds <= options.trimSeconds + options.stepSeconds)
    }
}
