import SluiceTestSupport
import Testing

@testable import SluiceWhisper

/// The decoder's invariants: non-finite scores or an empty beam fail the input with `DecodingFailure`, never
/// the process (a NaN sum used to trap in the sampler, an empty beam in `beams[0]`).
@Suite struct DecoderInvariantTests {
    @Test func scoresMustBeFiniteOrSuppressed() throws {
        try DecodingFailure.check([-1, -.infinity, -3], step: 0)
        #expect(throws: DecodingFailure.self) { try DecodingFailure.check([-1, .nan], step: 2) }
        #expect(throws: DecodingFailure.self) { try DecodingFailure.check([.infinity, -1], step: 2) }
        #expect(throws: DecodingFailure.self) { try DecodingFailure.check([-.infinity, -.infinity], step: 3) }
    }

    /// NaN audio features (what NaN weights or samples produce) through greedy, beam and sampling search on the
    /// real tiny.en decoder (model-backed).
    @Test(.needsModels("tiny.en"), arguments: [(1, Float(0)), (5, Float(0)), (1, Float(0.5))])
    func nonFiniteMemoryFailsTheWindow(beamSize: Int, temperature: Float) throws {
        let model = try FixtureFiles.tinyEnglishModel()
        let positions = model.config.audioContext
        let memory = model.crossAttentionMemory(encoded: [Float](repeating: .nan, count: positions * model.config.width))
        var options = DecodingOptions()
        options.beamSize = beamSize
        options.temperatures = [temperature]
        let decoder = WindowDecoder(model: model, options: options)
        var generator = SplitMix64(seed: 1)
        do {
            _ = try decoder.decode(memory: memory, prompt: decoder.prompt(previous: [], language: "en"), generator: &generator)
            Issue.record("a window over NaN features decoded")
        } catch let failure as DecodingFailure {
            #expect(failure.description.contains("non-finite scores at token 0"))
        }
    }
}
