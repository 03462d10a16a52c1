import CKernels
import Foundation
import SluiceNN

/// A channel-independent S4D forecaster: instance normalisation of the lookback window, a diagonal SSM
/// (ZOH, `banks × half_state` complex modes) run over the window, and a linear head on its final state.
///
/// With û = (u − mean)/std over the window of L values, the state after the window is
/// z = Σ_j dA^(L−1−j) dB û_j and the forecast is std · (W [Re z, Im z] + b) + mean.
/// Batch mode computes z as a product of the windows with the basis dA^(L−1−j) dB (one matrix product);
/// step mode slides z over a stream at O(modes) work per row (see `S4DForecasterState`).
public struct S4DForecaster: WindowForecasting {
    public let lookback: Int, horizon: Int, modes: Int
    public let epsilon: Double
    /// [L, 2·modes]: row j holds [Re, Im] of dA^(L−1−j) dB (Float for the matrix product).
    let basis: [Float]
    /// Per mode, for step mode: dA, dB and dA^L·dB as (re, im) pairs, six Doubles a mode.
    let coefficients: [Double]
    /// Σ_j dA^j dB per mode: the state of a window of ones.
    let basisSum: [Complex]
    /// The head: horizon × 2·modes, and its bias.
    let head: Linear
    let headBias: [Float]

    /// Weights as `Training/series/models.py` `S4DForecaster` names them.
    public init(_ weights: TensorLookup, lookback: Int, horizon: Int, epsilon: Double = 1e-5) throws {
        let shape = try weights.shape("log_a_real")
        let banks = shape[0], half = shape[1]
        modes = banks * half
        self.lookback = lookback
        self.horizon = horizon
        self.epsilon = epsilon
        let logDt = try weights("log_dt", banks).values, logAReal = try weights("log_a_real", banks, half).values
        let aImag = try weights("a_imag", banks, half).values
        let bReal = try weights("b_real", banks, half).values, bImag = try weights("b_imag", banks, half).values
        let zoh = ZOHMode.modes(logDt: logDt, logAReal: logAReal, aImag: aImag)
        let dtA = zoh.map(\.dtA), dA = zoh.map(\.dA)
        let dB = zoh.indices.map { zoh[$0].dB * Complex(Double(bReal[$0]), Double(bImag[$0])) }
        // Powers are taken directly as exp(dtA·k) in Double, never by repeated multiplication.
        var basis = [Float](repeating: 0, count: lookback * 2 * modes)
        var sums = [Complex](repeating: Complex(0, 0), count: modes)
        for j in 0..<lookback {
            for m in 0..<modes {
                let v = dtA[m].scaled(Double(lookback - 1 - j)).exp() * dB[m]
                basis[j * 2 * modes + m] = Float(v.re)
                basis[j * 2 * modes + modes + m] = Float(v.im)
                sums[m] = sums[m] + v
            }
        }
        self.basis = basis
        coefficients = (0..<modes).flatMap { m -> [Double] in
            let dALdB = dtA[m].scaled(Double(lookback)).exp() * dB[m]
            return [dA[m].re, dA[m].im, dB[m].re, dB[m].im, dALdB.re, dALdB.im]
        }
        basisSum = sums
        head = Linear(weight: .float32(try weights("head.weight", horizon, 2 * modes)), bias: try weights("head.bias", horizon))
        headBias = head.bias!.values
    }

    /// Batch mode: `count` windows [count, L] (oldest value first) → forecasts [count, horizon].
    public func forecast(windows: [Float], count: Int) -> [Float] {
        var normalised = windows
        let norm = InstanceNorm(normalising: &normalised, count: count, length: lookback, epsilon: epsilon)
        var features = [Float](repeating: 0, count: count * 2 * modes)
        normalised.withUnsafeBufferPointer { x in
            basis.withUnsafeBufferPointer { v in
                features.withUnsafeMutableBufferPointer { z in
                    BLAS.sgemm(.none, .none, m: count, n: 2 * modes, k: lookback, a: x.baseAddress!, lda: lookback,
                               b: v.baseAddress!, ldb: 2 * modes, c: z.baseAddress!, ldc: 2 * modes)
                }
            }
        }
        var y = head(features, rows: count)
        norm.restore(&y, horizon: horizon)
        return y
    }

    /// A fresh per-stream state for step mode.
    public func makeState() -> S4DForecasterState { S4DForecasterState(lookback: lookback, modes: modes) }

    /// Step mode: takes the next value of the stream and returns the forecast of the next `steps` values (all
    /// `horizon` by default) once `lookback` values have arrived (nil before). Constant work per row, whatever the
    /// history length: O(modes) for the state, O(steps · modes) for the head.
    public func step(_ value: Float, state: inout S4DForecasterState, steps: Int? = nil) -> [Float]? {
        // The state works on values minus the stream's first value, which keeps the sums' cancellation small
        // for series far from zero; the forecast is invariant to that shift.
        if state.seen == 0 { state.reference = Double(value) }
        let u = Double(value) - state.reference
        let old = state.push(u) ?? 0  // the value leaving the window (0 while it fills: subtracting 0 is exact)
        coefficients.withUnsafeBufferPointer { c in
            state.z.withUnsafeMutableBufferPointer { z in
                for m in 0..<modes {
                    // z ← dA·z + dB·u − dA^L·dB·u_{t−L}: the window's state, without re-reading the window.
                    let k = 6 * m, re = z[2 * m], im = z[2 * m + 1]
                    z[2 * m] = c[k] * re - c[k + 1] * im + c[k + 2] * u - c[k + 4] * old
                    z[2 * m + 1] = c[k] * im + c[k + 1] * re + c[k + 3] * u - c[k + 5] * old
                }
            }
        }
        guard state.seen >= lookback else { return nil }
        let mean = state.sum / Double(lookback)
        let std = (max(state.squares / Double(lookback) - mean * mean, 0) + epsilon).squareRoot()
        state.z.withUnsafeBufferPointer { z in
            basisSum.withUnsafeBufferPointer { sum in
                state.features.withUnsafeMutableBufferPointer { features in
                    for m in 0..<modes {
                        features[m] = Float((z[2 * m] - mean * sum[m].re) / std)
                        features[modes + m] = Float((z[2 * m + 1] - mean * sum[m].im) / std)
                    }
                }
            }
        }
        let count = min(steps ?? horizon, horizon)
        var y = Array(headBias[0..<count])
        guard case .float32(let weight) = head.weight else { preconditionFailure("the head is float32") }
        y.withUnsafeMutableBufferPointer { out in  // the first `count` rows of the head only
            sluice_skinny_product(state.features, 1, weight.values, 0, Int32(count), Int32(2 * modes), out.baseAddress!, Int32(count))
        }
        for t in 0..<count { y[t] = Float(Double(y[t]) * std + mean + state.reference) }
        return y
    }
}

/// The per-stream state of an S4D forecaster: the last L values (for the sliding window's statistics and the
/// value leaving it) and the raw window state z [modes]; O(L + modes) memory, constant over the stream.
public struct S4DForecasterState: Sendable {
    var window: [Double]
    var next = 0
    /// Rows seen so far.
    public private(set) var seen = 0
    var sum = 0.0, squares = 0.0
    /// The first value of the stream, subtracted from every value.
    var reference = 0.0
    /// The raw window state, (re, im) per mode.
    var z: [Double]
    var features: [Float]

    init(lookback: Int, modes: Int) {
        window = [Double](repeating: 0, count: lookback)
        z = [Double](repeating: 0, count: 2 * modes)
        features = [Float](repeating: 0, count: 2 * modes)
    }

    /// Adds a value to the window; returns the value that left it, if the window was full.
    mutating func push(_ value: Double) -> Double? {
        let evicted = seen >= window.count ? window[next] : nil
        if let evicted {
            sum -= evicted
            squares -= evicted * evicted
        }
        window[next] = value
        next = (next + 1) % window.count
        sum += value
        squares += value * value
        seen += 1
        if next == 0 {  // once a window, drop the rounding the sliding sums gathered
            sum = window.reduce(0, +)
            squares = window.reduce(0) { $0 + $1 * $1 }
        }
        return evicted
    }
}
