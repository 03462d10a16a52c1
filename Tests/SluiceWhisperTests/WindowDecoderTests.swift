import SluiceAudio
import SluiceTestSupport
import Testing

@testable import SluiceWhisper

/// `WindowDecoder` searches on real audio with tiny.en (model-backed: needs `sluice models fetch tiny.en`).
@Suite(.needsModels("tiny.en")) struct WindowDecoderTests {
    /// Five seconds of the sample, encoded as a padded window, and the prompt of an English transcription.
    private func window(_ model: WhisperModel) throws -> (memory: CrossAttentionMemory, prompt: [Int]) {
        let reader = try AudioDecoder(path: FixtureFiles.sample("1089-134686-0001.flac"))
        var audio: [Float] = []
        while audio.count < 80000, try reader.read(into: &audio, maxFrames: 80000 - audio.count) > 0 {}
        #expect(audio.count == 80000)
        let features = MelFeatures(samples: audio, mels: model.config.mels)
        let total = model.paddedWindowFrames(audioSeconds: 5, minimumSeconds: 8, paddingSeconds: 1)
        let encoded = model.encode(mel: features.window(start: 0, count: features.contentFrames, total: total))
        let prompt = WindowDecoder(model: model, options: DecodingOptions()).prompt(previous: [], language: "en")
        return (model.crossAttentionMemory(encoded: encoded), prompt)
    }

    /// The streaming transcriber gives up on a search whose hypotheses all loop; here every hypothesis
    /// "loops" once it has three tokens, so beam and greedy searches stop there instead of reading on.
    @Test(arguments: [1, 5]) func aSearchStopsOnceEveryHypothesisIsAbandoned(beamSize: Int) throws {
        let model = try FixtureFiles.tinyEnglishModel()
        let (memory, prompt) = try window(model)
        var options = DecodingOptions()
        options.beamSize = beamSize
        options.temperatures = [0]
        let decoder = WindowDecoder(model: model, options: options)
        var generator = SplitMix64(seed: 0)
        let whole = try decoder.decode(memory: memory, prompt: prompt, generator: &generator)
        #expect(whole.tokens.count > 6, "the window holds several words: \(whole.tokens)")
        let abandoned = try decoder.decode(memory: memory, prompt: prompt, abandons: { $0.count >= 3 }, generator: &generator)
        #expect(abandoned.tokens.count == 3)
        if beamSize == 1 { #expect(abandoned.tokens == Array(whole.tokens.prefix(3))) }
    }
}
