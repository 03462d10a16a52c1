import Foundation
import SluiceFFT
import SluiceNN
import SluiceSSM
import SluiceTestSupport
import Testing

@Suite("S4D")
struct S4DTests {
    /// The block's batch output (FFT convolution) matches PyTorch's float64 reference.
    @Test func blockMatchesPyTorchGolden() throws {
        let tensors = try FixtureFiles.golden("s4d-block.safetensors")
        let block = try S4DBlock(TensorLookup(tensors))
        let input = tensors["input"]!, expected = tensors["expected"]!
        let length = input.shape[0]
        let output = block(input.values, length: length)
        #expect(relativeError(output, expected.values) < 1e-5)
    }

    /// Step mode (complex diagonal recurrence) reproduces batch mode (kernel + FFT) to rel 1e-4.
    @Test func stepModeAgreesWithBatchMode() throws {
        let tensors = try FixtureFiles.golden("s4d-block.safetensors")
        let block = try S4DBlock(TensorLookup(tensors))
        let input = tensors["input"]!
        let (length, h) = (input.shape[0], input.shape[1])
        let batch = block(input.values, length: length)
        var state = block.s4d.makeState()
        var stepped = [Float]()
        for t in 0..<length { stepped += block.step(Array(input.values[(t * h)..<((t + 1) * h)]), state: &state) }
        #expect(relativeError(stepped, batch) < 1e-4)
    }

    /// A long sequence (L = 4096, dt up to 0.1): layer step and FFT modes agree to rel 1e-4 in fp32.
    @Test func longSequenceParity() {
        let h = 3, modes = 16, length = 4096
        var generator = SeededGenerator(seed: 11)
        let layer = S4DLayer(
            logDt: (0..<h).map { _ in Float(log(1e-3) + generator.unit() * (log(1e-1) - log(1e-3))) },
            c: (0..<(2 * h * modes)).map { _ in generator.normal() },
            logAReal: [Float](repeating: log(0.5), count: h * modes),
            aImag: (0..<(h * modes)).map { Float.pi * Float($0 % modes) },
            d: (0..<h).map { _ in generator.normal() })
        let u = (0..<(length * h)).map { _ in generator.normal() }
        let batch = layer(u, length: length)
        var state = layer.makeState()
        var stepped = [Float]()
        for t in 0..<length { stepped += layer.step(Array(u[(t * h)..<((t + 1) * h)]), state: &state) }
        #expect(relativeError(stepped, batch) < 1e-4)
    }

    /// The FFT convolution is causal and equals the direct sum (no circular wrap at 2L).
    @Test func fftConvolutionIsCausal() {
        let length = 50
        let signal = (0..<length).map { Float(($0 * 7) % 11) - 5 }
        let kernel = (0..<length).map { Float(1) / Float($0 + 1) }
        var output = [Float](repeating: 0, count: length)
        FFTConvolution(length: length).convolve(signal: signal, kernel: kernel, stride: 1, into: &output)
        let direct = (0..<length).map { t in (0...t).reduce(Float(0)) { $0 + kernel[$1] * signal[t - $1] } }
        #expect(relativeError(output, direct) < 1e-5)
    }
}
