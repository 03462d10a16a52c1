import CFFTW

/// The inverse of a real FFT (complex half spectrum → real signal) of one size on FFTW, single precision, for many
/// frames at once; one plan shared by every caller and thread.
///
/// FFTW's execute functions are thread-safe when each call brings its own arrays ("new-array execute"), so the plan
/// is made once and every call runs it on scratch buffers of its own, allocated by FFTW with the alignment the plan
/// was made for. Like FFTW's c2r (and unlike numpy's irfft) it is unnormalised: the output is `size` times the
/// inverse DFT, and the imaginary parts of the DC and Nyquist bins are ignored.
public final class InverseRealFFT: @unchecked Sendable {
    public let size: Int
    /// Complex bins per frame: size / 2 + 1.
    public var bins: Int { size / 2 + 1 }
    private let plan: fftwf_plan

    /// size: an even transform length.
    public init(size: Int) {
        precondition(size > 0 && size.isMultiple(of: 2), "an inverse real FFT needs an even size, got \(size)")
        self.size = size
        let real = fftwf_alloc_real(size)!
        let complex = fftwf_alloc_complex(size / 2 + 1)!
        plan = FFTWPlanner.withLock {
            fftwf_plan_dft_c2r_1d(Int32(size), complex, real, UInt32(FFTW_ESTIMATE))!
        }
        fftwf_free(real)
        fftwf_free(complex)
    }

    deinit {
        FFTWPlanner.withLock { fftwf_destroy_plan(plan) }
    }

    /// Transforms `frames` half spectra into `frames` real frames.
    /// - Parameters: real and imaginary (frames × bins each, frame-major); output (frames × size), overwritten.
    public func callAsFunction(
        real: UnsafePointer<Float>, imaginary: UnsafePointer<Float>, frames: Int, into output: UnsafeMutablePointer<Float>
    ) {
        let bins = bins, size = size
        guard frames > 0 else { return }
        let spectrum = fftwf_alloc_complex(bins)!
        let signal = fftwf_alloc_real(size)!
        defer {
            fftwf_free(spectrum)
            fftwf_free(signal)
        }
        let interleaved = UnsafeMutableRawPointer(spectrum).bindMemory(to: Float.self, capacity: 2 * bins)
        for frame in 0..<frames {
            let re = real + frame * bins, im = imaginary + frame * bins
            for bin in 0..<bins {
                interleaved[2 * bin] = re[bin]
                interleaved[2 * bin + 1] = im[bin]
            }
            // c2r overwrites its input; the scratch spectrum is refilled for every frame.
            fftwf_execute_dft_c2r(plan, spectrum, signal)
            (output + frame * size).update(from: signal, count: size)
        }
    }
}
