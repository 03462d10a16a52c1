import Dispatch
import SluiceFFT
import Testing

/// FFTW's planner keeps global tables: plans made or destroyed on two threads at once corrupted the heap
/// (the mel front end and the S4D convolution each had their own lock, and a server or the test runner used
/// both at once). Without the shared lock this test aborts in malloc within a few hundred plans.
@Suite struct PlannerConcurrencyTests {
    @Test func transformsArePlannedOnManyThreadsAtOnce() {
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<200 {
                let length = 17 + (round + worker) % 50
                let ones = [Float](repeating: 1, count: 2 * length)
                if worker.isMultiple(of: 2) {
                    var power = [Float](repeating: 0, count: length + 1)
                    let fft = RealFFT(size: 2 * length)
                    ones.withUnsafeBufferPointer { fft.powerSpectrum(of: $0, window: ones, into: &power) }
                    #expect(abs(power[0] - Float(4 * length * length)) < 1e-2 * Float(length * length))
                } else {
                    let convolution = FFTConvolution(length: length)
                    var output = [Float](repeating: 0, count: length)
                    convolution.convolve(signal: ones, kernel: ones, stride: 1, into: &output)
                    #expect(abs(output[length - 1] - Float(length)) < 1e-3)
                }
            }
        }
    }
}
