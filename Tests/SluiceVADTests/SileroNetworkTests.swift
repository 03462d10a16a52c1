import Foundation
import SluiceTestSupport
import SluiceVAD
import Testing

/// Silero VAD v6 in Swift against onnxruntime: the speech probabilities of every window of the fixture.
@Suite(.needsModels("silero-vad")) struct SileroNetworkTests {
    @Test func probabilitiesMatchONNXRuntime() throws {
        let golden = try VADGolden.load()
        let samples = try VADGolden.samples()
        #expect(samples.count == golden.sample_count)
        let probabilities = SileroVADStream.probabilities(of: samples, network: try VADGolden.network())
        #expect(probabilities.count == golden.probabilities.count)
        let worst = zip(probabilities, golden.probabilities).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest difference \(worst)")
        // The fixture holds both speech and silence.
        #expect(probabilities.contains { $0 > 0.9 } && probabilities.contains { $0 < 0.05 })
    }

    @Test func streamingInPiecesGivesTheSameProbabilities() throws {
        let samples = try VADGolden.samples()
        let network = try VADGolden.network()
        var stream = SileroVADStream(network: network)
        var pieces: [Float] = []
        var start = 0
        for size in [1, 511, 1000, 37, 20_000, 4096] where start < samples.count {
            let end = min(samples.count, start + size)
            pieces += stream.push(Array(samples[start..<end]))
            start = end
        }
        pieces += stream.push(Array(samples[start...]))
        let whole = SileroVADStream.probabilities(of: samples, network: network)
        #expect(stream.windows == samples.count / 512)
        #expect(pieces.count == samples.count / 512)
        #expect(zip(pieces, whole).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func regionsOfTheFixtureMatchFasterWhisper() throws {
        let golden = try VADGolden.load()
        let probabilities = SileroVADStream.probabilities(of: try VADGolden.samples(), network: try VADGolden.network())
        for expected in golden.input_regions {
            let regions = SpeechTimestamps.regions(
                probabilities: probabilities, sampleCount: golden.sample_count, options: expected.options.vadOptions)
            #expect(regions == expected.regions.regions)
        }
    }
}
