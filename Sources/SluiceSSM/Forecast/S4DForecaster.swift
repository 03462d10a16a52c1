import CKernels
import Foundation
import SluiceNN

/// A channel-independent S4D forecaster: instance normalisation of the lookback window, a diagonal SSM
/// (ZOH, `banks × half_state` complex modes) run over the window, and a linear head on its final state.
///
/// With û = (u − mean)/std over the window of L values, the state after the window is
/// z = Σ_j dA^(L−1−j) dB û_j and the forecast is std · (W [Re z, Im z] + b) + mean.
/// Batch mode computes z as a product of the windows with the basis dA^(L−1−j) dB (one matrix product);
/// step mode slides z over a stream at O(modes) work per row (see `S4DForecasterState`), and recomputes it from
/// the window when a value that left was so large that the sliding update's rounding could matter (see `step`).
public struct S4DForecaster: WindowForecasting {
    public let lookback: Int, horizon: Int, modes: Int
    public let epsilon: Double
    /// [L, 2·modes]: row j holds [Re, Im] of dA^(L−1−j) dB (Float for the matrix product).
    let basis: [Float]
    /// The same basis in Double, for recomputing a stream's state from its window.
    let exactBasis: [Double]
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
        var basis = [Double](repeating: 0, count: lookback * 2 * modes)
        var sums = [Complex](repeating: Complex(0, 0), count: modes)
        for j in 0..<lookback {
            for m in 0..<modes {
                let v = dtA[m].scaled(Double(lookback - 1 - j)).exp() * dB[m]
                basis[j * 2 * modes + m] = v.re
                basis[j * 2 * modes + modes + m] = v.im
                sums[m] = sums[m] + v
            }
        }
        exactBasis = basis
        self.basis = basis.map(Float.init)
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
                    BLAS.sgemm(
                        .none, .none, m: count, n: 2 * modes, k: lookback, a: x.baseAddress!, lda: lookback,
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

    /// How far the largest |value − reference| added since the state was last computed from its window may exceed
    /// the window's current spread before the state is recomputed.
    ///
    /// The sliding update subtracts each value L rows after adding it, so a value far larger than the rest (a 1e20
    /// glitch) leaves rounding of about L·ε·|value| behind it in z and the sums, which would corrupt every later
    /// forecast. Bounding |value − reference| by 256 × the spread keeps that rounding to about 1e-6 of the window's
    /// scale. A recompute costs O(L·modes); the next one needs the spread to fall 256-fold again or a new value to
    /// pass through the whole window, so Float's range allows at most about 17 per L rows: O(modes) amortized.
    public static let reanchorRatio = 256.0

    /// Step mode: takes the next value of the stream and returns the forecast of the next `steps` values (all
    /// `horizon` by default) once `lookback` values have arrived (nil before). Constant amortized work per row,
    /// whatever the history length: O(modes) for the state, O(steps · modes) for the head.
    public func step(_ value: Float, state: inout S4DForecasterState, steps: Int? = nil) -> [Float]? {
        // The state works on values minus a reference value of the stream, which keeps the sums' cancellation
        // small for series far from zero; the forecast is invariant to that shift.
        let x = Double(value)
        if state.seen == 0 { state.reference = x }
        let u = x - state.reference
        let old = state.push(x).map { $0 - state.reference } ?? 0  // 0 while the window fills: subtracting 0 is exact
        state.deviation = max(state.deviation, abs(u))
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
        if state.deviation > Self.reanchorRatio * max(state.extremes.range(state.window), epsilon.squareRoot()) { reanchor(&state) }
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

    /// Recomputes a full window's state and sums from its values, relative to its newest value: what the sliding
    /// update gives in exact arithmetic.
    func reanchor(_ state: inout S4DForecasterState) {
        let reference = state.window[(state.next + lookback - 1) % lookback]
        var sum = 0.0, squares = 0.0, deviation = 0.0
        var z = [Double](repeating: 0, count: 2 * modes)
        exactBasis.withUnsafeBufferPointer { basis in
            for j in 0..<lookback {  // oldest first: the slot `next` will overwrite
                let u = state.window[(state.next + j) % lookback] - reference
                sum += u
                squares += u * u
                deviation = max(deviation, abs(u))
                let row = j * 2 * modes
                for m in 0..<modes {
                    z[2 * m] += basis[row + m] * u
                    z[2 * m + 1] += basis[row + modes + m] * u
                }
            }
        }
        state.reference = reference
        state.z = z
        state.sum = sum
        state.squares = squares
        state.deviation = deviation
        state.reanchors += 1
    }
}

/// The per-stream state of an S4D forecaster: the last L values (for the sliding window's statistics, the value
/// leaving it and recomputing it) and the raw window state z [modes]; O(L + modes) memory, constant over the stream.
public struct S4DForecasterState: Sendable {
    /// The last L values as they arrived (not shifted), a ring whose slot `next` is the oldest once full.
    var window: [Double]
    var next = 0
    /// Rows seen so far.
    public private(set) var seen = 0
    /// Sum and sum of squares of the window's values minus `reference`.
    var sum = 0.0, squares = 0.0
    /// The value subtracted from every value: the stream's first, or the newest at the last recompute.
    var reference = 0.0
    /// The largest |value − reference| added to z since it was last computed from the window.
    var deviation = 0.0
    /// The window's largest and smallest values.
    var extremes: SlidingExtremes
    /// Times the state was recomputed from its window.
    public internal(set) var reanchors = 0
    /// The raw window state, (re, im) per mode.
    var z: [Double]
    var features: [Float]

    init(lookback: Int, modes: Int) {
        window = [Double](repeating: 0, count: lookback)
        extremes = SlidingExtremes(window: lookback)
        z = [Double](repeating: 0, count: 2 * modes)
        features = [Float](repeating: 0, count: 2 * modes)
    }

    /// Adds a value to the window; returns the value that left it, if the window was full.
    mutating func push(_ value: Double) -> Double? {
        let evicted = seen >= window.count ? window[next] : nil
        if let evicted {
            sum -= evicted - reference
            squares -= (evicted - reference) * (evicted - reference)
        }
        window[next] = value
        extremes.push(slot: next, window: window)
        next = (next + 1) % window.count
        sum += value - reference
        squares += (value - reference) * (value - reference)
        seen += 1
        if next == 0 {  // once a window, drop the rounding the sliding sums gathered
            sum = window.reduce(0) { $0 + ($1 - reference) }
            squares = window.reduce(0) { $0 + ($1 - reference) * ($1 - reference) }
        }
        return evicted
    }
}
