import Foundation
import SluiceFFT
import SluiceNN

/// The Vocos head: per frame a linear map to a log-magnitude and a phase for each of nFFT / 2 + 1 bins, then an
/// inverse real FFT to nFFT samples under a periodic Hann window. Overlap-adding the frames (`OverlapAdd`) gives
/// the waveform; everything here is per frame, so it is the same in batch and in streaming.
struct ISTFTHead: Sendable {
    let projection: Linear
    let nFFT: Int
    /// Periodic Hann window divided by nFFT: FFTW's inverse is unnormalised, numpy's and PyTorch's irfft are not.
    let window: [Float]
    let inverse: InverseRealFFT
    /// Log-magnitudes above this are clamped before exp (as the training graph does, to keep exp finite).
    static let maxLogMagnitude: Float = 6

    /// projection: dim → nFFT + 2 (the log-magnitudes, then the phases).
    init(projection: Linear, nFFT: Int) throws {
        guard projection.outputs == nFFT + 2 else {
            throw ModelFileError("the iSTFT head's projection gives \(projection.outputs) values, expected \(nFFT + 2)")
        }
        self.projection = projection
        self.nFFT = nFFT
        window = (0..<nFFT).map { n in Float((0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(nFFT))) / Double(nFFT)) }
        inverse = InverseRealFFT(size: nFFT)
    }

    var bins: Int { nFFT / 2 + 1 }

    /// x [frames × dim] → windowed frames [frames × nFFT].
    func callAsFunction(_ x: [Float], frames: Int) -> [Float] {
        guard frames > 0 else { return [] }
        let bins = bins, nFFT = nFFT
        // [frames × 2·bins]
        let h = projection(x, rows: frames)
        var real = [Float](repeating: 0, count: frames * bins), imaginary = real
        for t in 0..<frames {
            for k in 0..<bins {
                let magnitude = exp(min(h[t * 2 * bins + k], Self.maxLogMagnitude)), phase = h[t * 2 * bins + bins + k]
                real[t * bins + k] = magnitude * cos(phase)
                imaginary[t * bins + k] = magnitude * sin(phase)
            }
        }
        var out = [Float](repeating: 0, count: frames * nFFT)
        out.withUnsafeMutableBufferPointer { out in
            inverse(real: real, imaginary: imaginary, frames: frames, into: out.baseAddress!)
            window.withUnsafeBufferPointer { w in
                for t in 0..<frames {
                    for n in 0..<nFFT { out[t * nFFT + n] *= w[n] }
                }
            }
        }
        return out
    }
}

/// Overlap-add of windowed frames at 50% overlap with left-only framing: frame m covers samples
/// [(m − 1)·hop, (m + 1)·hop), so output block m is frame m's second half plus frame m + 1's first half, final once
/// frame m + 1 has arrived. Frame 0's first half lies before the signal and is dropped; the stream's end flushes
/// the last frame's second half alone, as the model's batch forward does.
struct OverlapAdd: Sendable {
    let hop: Int
    /// The last frame's second half, waiting for the next frame; empty before the first frame and after `finish`.
    private(set) var pending: [Float] = []

    init(hop: Int) { self.hop = hop }

    /// frames [count × 2·hop] → the blocks now final: [count × hop], or one hop fewer at the stream's start.
    mutating func push(_ frames: [Float], count: Int) -> [Float] {
        let hop = hop
        var out: [Float] = []
        out.reserveCapacity(count * hop)
        for m in 0..<count {
            let first = m * 2 * hop, second = first + hop
            if !pending.isEmpty {
                for i in 0..<hop { out.append(pending[i] + frames[first + i]) }
            }
            pending = Array(frames[second..<(second + hop)])
        }
        return out
    }

    /// Ends the stream: the last frame's second half, with nothing after it to overlap.
    mutating func finish() -> [Float] {
        defer { pending = [] }
        return pending
    }
}
