import CFFTW
import Foundation

/// Causal convolution of a length-L signal with a length-L kernel by FFT, zero-padded to 2L so that the
/// circular product does not wrap: y[t] = Σ_{k≤t} K[k] u[t−k]. FFTW single precision.
public final class FFTConvolution {
    public let length: Int
    private let size: Int
    private let real: UnsafeMutablePointer<Float>
    /// Interleaved (re, im) bins of the transform in progress and of the kernel.
    private let spectrum: UnsafeMutablePointer<Float>
    private let kernelSpectrum: UnsafeMutablePointer<Float>
    private let forward: fftwf_plan
    private let inverse: fftwf_plan

    public init(length: Int) {
        self.length = length
        size = 2 * length
        let bins = size / 2 + 1
        real = fftwf_alloc_real(size)!
        let complex = fftwf_alloc_complex(bins)!
        spectrum = UnsafeMutableRawPointer(complex).bindMemory(to: Float.self, capacity: 2 * bins)
        kernelSpectrum = fftwf_alloc_real(2 * bins)!
        (forward, inverse) = FFTWPlanner.withLock { [size, real] in
            (
                fftwf_plan_dft_r2c_1d(Int32(size), real, complex, UInt32(FFTW_ESTIMATE))!,
                fftwf_plan_dft_c2r_1d(Int32(size), complex, real, UInt32(FFTW_ESTIMATE))!
            )
        }
    }

    deinit {
        FFTWPlanner.withLock {
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
        }
        fftwf_free(real)
        fftwf_free(UnsafeMutableRawPointer(spectrum))
        fftwf_free(kernelSpectrum)
    }

    /// The causal convolution of `signal` with `kernel` (both `length` values, read with a stride).
    /// - Parameters: signal[t] = `signal[t * stride]`, likewise the kernel; the result is written the same way.
    public func convolve(signal: UnsafePointer<Float>, kernel: UnsafePointer<Float>, stride: Int, into output: UnsafeMutablePointer<Float>) {
        let bins = size / 2 + 1
        transform(kernel, stride: stride)
        kernelSpectrum.update(from: spectrum, count: 2 * bins)
        transform(signal, stride: stride)
        let scale = 1 / Float(size)
        for bin in 0..<bins {
            let a = spectrum[2 * bin], b = spectrum[2 * bin + 1], c = kernelSpectrum[2 * bin], d = kernelSpectrum[2 * bin + 1]
            spectrum[2 * bin] = (a * c - b * d) * scale
            spectrum[2 * bin + 1] = (a * d + b * c) * scale
        }
        fftwf_execute(inverse)
        for t in 0..<length { output[t * stride] = real[t] }
    }

    private func transform(_ values: UnsafePointer<Float>, stride: Int) {
        for t in 0..<length { real[t] = values[t * stride] }
        for t in length..<size { real[t] = 0 }
        fftwf_execute(forward)
    }
}
