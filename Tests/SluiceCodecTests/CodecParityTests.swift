import Foundation
import SluiceCodec
import SluiceNN
import Testing

/// A model and the PyTorch golden outputs made from it by Training/codec/golden.py.
struct ParityCase: Sendable, CustomStringConvertible {
    let description: String
    let model: CodecModel
    let golden: [String: Tensor]

    /// The bundled model (the Vocos decoder) and a tiny random model of the transposed design, so that both
    /// decoders stay tested against PyTorch.
    static let all: [ParityCase] = [
        ParityCase(description: "bundled", model: try! CodecModel.bundled(), golden: try! FixtureFiles.golden()),
        ParityCase(
            description: "tiny-transposed", model: try! CodecModel(directory: FixtureFiles.path("tiny-transposed")),
            golden: try! Safetensors.load(path: FixtureFiles.path("tiny-transposed/golden.safetensors"))),
    ]
}

/// The Swift port against the PyTorch model's golden fixtures, and streaming against batch.
///
/// Tolerances: Swift and PyTorch sum the same products in other orders (OpenBLAS against PyTorch's own kernels,
/// FFTW against pocketfft), so results agree to float rounding, not bit for bit. Measured on the 2-vCPU Xeon
/// (AVX-512): latent within 6e-6, decoded samples within 6e-8, streaming against batch within 6e-8. The limits
/// leave room for other CPUs' kernels: the latent (values of order 1–10 after seven convs) 1e-4 absolute; codes
/// exactly (a nearest-code near-tie would show here first); decoded samples (±1 full scale) 2e-6 absolute, a
/// fifteenth of a 16-bit step; streaming against batch 1e-6.
@Suite struct CodecParityTests {
    @Test(arguments: ParityCase.all) func encoderLatentMatchesPyTorch(_ parity: ParityCase) throws {
        var state = parity.model.encoderState()
        let latent = parity.model.latent(parity.golden["input"]!.values, state: &state)
        let expected = parity.golden["latent"]!.values
        #expect(latent.count == expected.count)
        let worst = zip(latent, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "largest latent difference \(worst)")
    }

    @Test(arguments: ParityCase.all) func codesMatchPyTorch(_ parity: ParityCase) throws {
        let codes = parity.model.encode(parity.golden["input"]!.values)
        #expect(codes == parity.golden["codes"]!.values.map { Int32($0) })
        #expect(Set(codes).count > 8, "the excerpt uses more than a few codes")
    }

    @Test(arguments: ParityCase.all) func decodedSamplesMatchPyTorch(_ parity: ParityCase) throws {
        let samples = parity.model.decode(parity.golden["codes"]!.values.map { Int32($0) })
        let expected = parity.golden["decoded"]!.values
        #expect(samples.count == expected.count)
        let worst = zip(samples, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 2e-6, "largest sample difference \(worst)")
        #expect(expected.map { abs($0) }.max()! > 1e-3, "the golden output is not silence")
    }

    @Test(arguments: ParityCase.all) func streamingEqualsBatch(_ parity: ParityCase) throws {
        let model = parity.model
        let input = parity.golden["input"]!.values
        let batchCodes = model.encode(input)
        let batchSamples = model.decode(batchCodes)

        // Encode in uneven packets (not on frame boundaries).
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

        // Decode frame by frame, and in uneven runs of frames (empty pushes included).
        let perFrame = model.config.codesPerFrame, frames = batchCodes.count / perFrame
        for runs in [Array(repeating: 1, count: frames), [3, 0, 1, 7, 2, 5, 2]] {
            var decoder = CodecDecoderStream(model: model)
            var streamed: [Float] = []
            var frame = 0
            for run in runs + [frames] where frame < frames {
                let end = min(frames, frame + run)
                streamed += decoder.push(Array(batchCodes[(frame * perFrame)..<(end * perFrame)]))
                frame = end
            }
            streamed += decoder.finish()
            #expect(streamed.count == batchSamples.count)
            let worst = zip(streamed, batchSamples).map { abs($0 - $1) }.max()!
            // Runs of other lengths take other matrix-product paths (OpenBLAS's kernels, or one row at a time).
            #expect(worst <= 1e-6, "largest streaming-vs-batch difference \(worst) with runs \(runs)")
        }
    }

    @Test(arguments: ParityCase.all) func partialFrameIsZeroPadded(_ parity: ParityCase) {
        let model = parity.model
        let hop = model.config.hop
        let signal = (0..<(hop + 7)).map { Float(sin(Double($0) * 0.05)) * 0.3 }
        let codes = model.encode(signal)
        #expect(codes.count == 2 * model.config.codesPerFrame)
        #expect(codes == model.encode(signal + [Float](repeating: 0, count: hop - 7)))
    }

    /// The Vocos decoder's 40 ms: a frame completes the hop before it, so output runs one hop behind until the end.
    @Test func vocosOutputIsOneHopBehindUntilTheEnd() throws {
        let model = ParityCase.all[0].model
        let hop = model.config.hop, perFrame = model.config.codesPerFrame
        let codes = try FixtureFiles.golden()["codes"]!.values.map { Int32($0) }
        var decoder = CodecDecoderStream(model: model)
        #expect(decoder.push(Array(codes[0..<perFrame])).isEmpty)
        #expect(decoder.push(Array(codes[perFrame..<(2 * perFrame)])).count == hop)
        #expect(decoder.push(Array(codes[(2 * perFrame)..<(5 * perFrame)])).count == 3 * hop)
        #expect(decoder.finish().count == hop)
        #expect(decoder.finish().isEmpty, "a second finish has nothing left")
    }

    @Test func transposedDecoderHoldsNothingBack() {
        let model = ParityCase.all[1].model
        var decoder = CodecDecoderStream(model: model)
        #expect(decoder.push([Int32](repeating: 1, count: model.config.codesPerFrame)).count == model.config.hop)
        #expect(decoder.finish().isEmpty)
    }

    @Test func bundledConfigIsTheTwoKilobitVocosLayout() {
        let config = ParityCase.all[0].model.config
        #expect(config.sampleRate == 16000 && config.hop == 320)
        #expect(config.groups == 2 && config.levels == 2 && config.codebookSize == 1024)
        #expect(config.framesPerSecond == 50)
        #expect(config.decoder == .vocos && config.algorithmicLatency == 640)
        #expect(ParityCase.all[1].model.config.decoder == .transposed && ParityCase.all[1].model.config.algorithmicLatency == 320)
    }
}
