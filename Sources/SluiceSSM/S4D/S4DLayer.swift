import Foundation
import SluiceFFT
import SluiceNN

/// The S4D layer (diagonal state space, ZOH): per channel h, N/2 complex modes with
/// A = −exp(log_A_real) + i·A_imag, dt = exp(log_dt), dA = exp(dt·A), dB = (dA − 1)/A, output 2·Re(C·x) + D·u.
///
/// Batch mode convolves with the kernel K[l] = 2·Re Σ_n C_n dB_n dA_nˡ (a Vandermonde product, in Double)
/// by FFT padded to 2L; step mode runs the recurrence x ← dA·x + dB·u. The two are the same function.
public struct S4DLayer: Sendable {
    /// Channels (H) and complex modes per channel (N/2).
    public let channels: Int, modes: Int
    /// dt·A per (h, n), row-major [H, N/2].
    let dtAReal: [Double], dtAImag: [Double]
    /// dA per (h, n).
    let dAReal: [Double], dAImag: [Double]
    /// C·dB per (h, n): the kernel's coefficients and the step's read-out folded with the input gain.
    let cbReal: [Double], cbImag: [Double]
    /// dB per (h, n).
    let dBReal: [Double], dBImag: [Double]
    /// C per (h, n).
    let cReal: [Double], cImag: [Double]
    /// The skip D per channel.
    public let d: [Float]

    /// Weights as `state-spaces/s4` `s4d.py` names them: log_dt [H], C [H, N/2, 2] (re, im), log_A_real and A_imag
    /// [H, N/2], D [H].
    public init(_ weights: TensorLookup) throws {
        let logDt = try weights.shape("log_dt")
        let channels = logDt[0], modes = try weights.shape("log_A_real")[1]
        try self.init(
            logDt: weights("log_dt", channels).values, c: weights("C", channels, modes, 2).values,
            logAReal: weights("log_A_real", channels, modes).values, aImag: weights("A_imag", channels, modes).values,
            d: weights("D", channels).values)
    }

    public init(logDt: [Float], c: [Float], logAReal: [Float], aImag: [Float], d: [Float]) {
        channels = logDt.count
        modes = logAReal.count / channels
        let zoh = ZOHMode.modes(logDt: logDt, logAReal: logAReal, aImag: aImag)
        let cb = zoh.indices.map { Complex(Double(c[2 * $0]), Double(c[2 * $0 + 1])) * zoh[$0].dB }
        (dtAReal, dtAImag) = (zoh.map(\.dtA.re), zoh.map(\.dtA.im))
        (dAReal, dAImag) = (zoh.map(\.dA.re), zoh.map(\.dA.im))
        (dBReal, dBImag) = (zoh.map(\.dB.re), zoh.map(\.dB.im))
        (cbReal, cbImag) = (cb.map(\.re), cb.map(\.im))
        cReal = stride(from: 0, to: c.count, by: 2).map { Double(c[$0]) }
        cImag = stride(from: 1, to: c.count, by: 2).map { Double(c[$0]) }
        self.d = d
    }

    /// The convolution kernel [H, L]: K[h, l] = 2·Re Σ_n (C·dB)_n · exp(dtA_n · l), powers taken directly in Double.
    public func kernel(length: Int) -> [Float] {
        var k = [Float](repeating: 0, count: channels * length)
        for h in 0..<channels {
            for l in 0..<length {
                var sum = 0.0
                for n in 0..<modes {
                    let i = h * modes + n
                    let magnitude = Foundation.exp(dtAReal[i] * Double(l)), phase = dtAImag[i] * Double(l)
                    sum += magnitude * (cbReal[i] * cos(phase) - cbImag[i] * sin(phase))
                }
                k[h * length + l] = Float(2 * sum)
            }
        }
        return k
    }

    /// Batch mode: u [L, H] (time-major) → y [L, H] by FFT convolution with the kernel, plus D·u.
    public func callAsFunction(_ u: [Float], length: Int) -> [Float] {
        let k = kernel(length: length)
        let convolution = FFTConvolution(length: length)
        var y = [Float](repeating: 0, count: length * channels)
        var kernelColumns = [Float](repeating: 0, count: length * channels)  // [L, H] like u
        for h in 0..<channels { for l in 0..<length { kernelColumns[l * channels + h] = k[h * length + l] } }
        u.withUnsafeBufferPointer { input in
            kernelColumns.withUnsafeBufferPointer { kernel in
                y.withUnsafeMutableBufferPointer { output in
                    for h in 0..<channels {
                        convolution.convolve(
                            signal: input.baseAddress! + h, kernel: kernel.baseAddress! + h, stride: channels,
                            into: output.baseAddress! + h)
                    }
                }
            }
        }
        for t in 0..<length { for h in 0..<channels { y[t * channels + h] += d[h] * u[t * channels + h] } }
        return y
    }

    /// A zero state for step mode.
    public func makeState() -> S4DState { S4DState(count: channels * modes) }

    /// Step mode: one row u [H] → y [H]; x ← dA·x + dB·u, y = 2·Re(C·x) + D·u.
    public func step(_ u: [Float], state: inout S4DState) -> [Float] {
        var y = [Float](repeating: 0, count: channels)
        for h in 0..<channels {
            let input = Double(u[h])
            var sum = 0.0
            for n in 0..<modes {
                let i = h * modes + n
                let re = dAReal[i] * state.re[i] - dAImag[i] * state.im[i] + dBReal[i] * input
                let im = dAReal[i] * state.im[i] + dAImag[i] * state.re[i] + dBImag[i] * input
                state.re[i] = re
                state.im[i] = im
                sum += cReal[i] * re - cImag[i] * im
            }
            y[h] = Float(2 * sum) + d[h] * u[h]
        }
        return y
    }
}

/// The complex state of an S4D layer for one stream: [H, N/2] real and imaginary parts.
public struct S4DState: Sendable {
    public var re: [Double], im: [Double]

    public init(count: Int) {
        re = [Double](repeating: 0, count: count)
        im = re
    }
}
