import CFFTW
import Foundation

/// A real-to-complex FFT of one size on FFTW (single precision), with its own aligned buffers.
public final class RealFFT {
    public let size: Int
    private let input: UnsafeMutablePointer<Float>
    private let output: OpaquePointer  // fftwf_complex*
    private let plan: fftwf_plan

    public init(size: Int) {
        self.size = size
        let real = fftwf_alloc_real(size)!
        let complex = fftwf_alloc_complex(size / 2 + 1)!
        input = real
        output = OpaquePointer(complex)
        plan = FFTWPlanner.withLock {
            fftwf_plan_dft_r2c_1d(Int32(size), real, complex, UInt32(FFTW_ESTIMATE))!
        }
    }

    deinit {
        FFTWPlanner.withLock { fftwf_destroy_plan(plan) }
        fftwf_free(input)
        fftwf_free(UnsafeMutableRawPointer(output))
    }

    /// |FFT(signal × window)|² for bins 0…size/2, written into `power`.
    public func powerSpectrum(of signal: UnsafeBufferPointer<Float>, window: [Float], into power: inout [Float]) {
        for index in 0..<size { input[index] = signal[index] * window[index] }
        fftwf_execute(plan)
        let bins = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self)
        for bin in 0...(size / 2) {
            let real = bins[2 * bin], imaginary = bins[2 * bin + 1]
            power[bin] = real * real + imaginary * imaginary
        }
    }
}
