import Dispatch
import Foundation
import SluiceFFT
import Testing

/// The inverse real FFT against the inverse DFT written out, and one plan shared by many threads.
@Suite struct InverseRealFFTTests {
    /// x[n] = Re X₀ + 2 Σ_{0<k<N/2} (Re Xₖ cos 2πkn/N − Im Xₖ sin 2πkn/N) + Re X_{N/2} (−1)ⁿ, unnormalised;
    /// the imaginary parts of the DC and Nyquist bins do not count.
    static func reference(real: [Float], imaginary: [Float], size: Int) -> [Float] {
        (0..<size).map { n in
            var x = Double(real[0]) + Double(real[size / 2]) * (n.isMultiple(of: 2) ? 1 : -1)
            for k in 1..<(size / 2) {
                let angle = 2 * Double.pi * Double(k * n) / Double(size)
                x += 2 * (Double(real[k]) * cos(angle) - Double(imaginary[k]) * sin(angle))
            }
            return Float(x)
        }
    }

    @Test func matchesTheInverseDFTFrameByFrame() {
        let size = 640, bins = size / 2 + 1, frames = 3
        let fft = InverseRealFFT(size: size)
        // Irregular values in [-1, 1], the same on every run.
        let real = (0..<(frames * bins)).map { Float(sin(Double($0) * 0.37)) }
        let imaginary = (0..<(frames * bins)).map { Float(cos(Double($0) * 0.91 + 0.5)) }
        var output = [Float](repeating: .nan, count: frames * size)
        fft(real: real, imaginary: imaginary, frames: frames, into: &output)
        for frame in 0..<frames {
            let range = (frame * bins)..<((frame + 1) * bins)
            let expected = Self.reference(real: Array(real[range]), imaginary: Array(imaginary[range]), size: size)
            let worst = zip(output[(frame * size)..<((frame + 1) * size)], expected).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-3, "frame \(frame): largest difference \(worst) (values up to about 25)")
        }
    }

    @Test func onePlanServesManyThreads() {
        let size = 64, bins = size / 2 + 1
        let fft = InverseRealFFT(size: size)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            // Bin `worker + 1` alone: a cosine of amplitude 2 at that frequency.
            var real = [Float](repeating: 0, count: bins)
            real[worker + 1] = 1
            let imaginary = [Float](repeating: 0, count: bins)
            for _ in 0..<200 {
                var output = [Float](repeating: 0, count: size)
                fft(real: real, imaginary: imaginary, frames: 1, into: &output)
                let worst = (0..<size).map { n in
                    abs(output[n] - Float(2 * cos(2 * Double.pi * Double((worker + 1) * n) / Double(size))))
                }.max()!
                #expect(worst < 1e-5)
            }
        }
    }
}
