import Foundation
import SluiceCodec
import SluiceNN
import Testing

/// The Swift port against the PyTorch model's golden fixtures, and streaming against batch.
@Suite struct CodecParityTests {
    static let model = try! CodecModel.bundled()

    @Test func encoderLatentMatchesPyTorch() throws {
        let golden = try FixtureFiles.golden()
        let model = Self.model
        var state = model.encoderState()
        let latent = model.latent(golden["input"]!.values, state: &state)
        let expected = golden["latent"]!.values
        #expect(latent.count == expected.count)
        let worst = zip(latent, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "largest latent difference \(worst)")
    }

    @Test func codesMatchPyTorch() throws {
        let golden = try FixtureFiles.golden()
        let codes = Self.model.encode(golden["input"]!.values)
        #expect(codes == golden["codes"]!.values.map { Int32($0) })
    }

    @Test func decodedSamplesMatchPyTorch() throws {
        let golden = try FixtureFiles.golden()
        let samples = Self.model.decode(golden["codes"]!.values.map { Int32($0) })
        let expected = golden["decoded"]!.values
        #expect(samples.count == expected.count)
        let worst = zip(samples, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "largest sample difference \(worst)")
    }

    @Test func streamingEqualsBatch() throws {
        let model = Self.model
        let input = try FixtureFiles.golden()["input"]!.values
        let batchCodes = model.encode(input)
        let batchSamples = model.decode(batchCodes)

        // Encode in uneven packets (not on frame boundaries), decode frame by frame.
        var encoder = CodecEncoderStream(model: model)
        var streamedCodes: [Int32] = []
        var start = 0
        for size in [1, 77, 320, 500, 1023, 5] + Array(repeating: 640, count: 10) where start < input.count {
            let end = min(input.count, start + size)
            streamedCodes += encoder.push(Array(input[start..<end]))
            start = end
        }
        streamedCodes += encoder.push(Array(input[start...])) + encoder.finish()
        #expect(streamedCodes == batchCodes)

        var decoder = CodecDecoderStream(model: model)
        let perFrame = model.config.codesPerFrame
        var streamedSamples: [Float] = []
        for frame in 0..<(batchCodes.count / perFrame) {
            streamedSamples += decoder.push(Array(batchCodes[(frame * perFrame)..<((frame + 1) * perFrame)]))
        }
        #expect(streamedSamples.count == batchSamples.count)
        let worst = zip(streamedSamples, batchSamples).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5, "largest streaming-vs-batch difference \(worst)")
    }

    @Test func partialFrameIsZeroPadded() {
        let model = Self.model
        let hop = model.config.hop
        let signal = (0..<(hop + 7)).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        let codes = model.encode(signal)
        #expect(codes.count == 2 * model.config.codesPerFrame)
        #expect(codes == model.encode(signal + [Float](repeating: 0, count: hop - 7)))
    }

    @Test func bundledConfigIsTheTwoKilobitLayout() {
        let config = Self.model.config
        #expect(config.sampleRate == 16000 && config.hop == 320)
        #expect(config.groups == 2 && config.levels == 2 && config.codebookSize == 1024)
        #expect(config.framesPerSecond == 50)
    }
}
