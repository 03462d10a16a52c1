import Foundation
import SluiceNN

/// The Mamba mixer (`mamba_simple.py`): in_proj → (x, z); causal depthwise conv (width 4) and SiLU on x;
/// x_proj → (Δ, B, C); Δ = softplus(dt_proj(Δ)); selective scan h ← exp(Δ·A)·h + Δ·B·x (ZOH on A, Euler on B),
/// y = ⟨h, C⟩ + D·x; gate y·SiLU(z); out_proj. A sequential scan in both modes (no log-space cumsum).
public struct MambaMixer: Sendable {
    public let inProjection: Linear, xProjection: Linear, dtProjection: Linear, outProjection: Linear
    /// Depthwise conv weight [D_inner, width] and bias [D_inner].
    public let convWeight: [Float], convBias: [Float]
    /// A = −exp(A_log), [D_inner, N].
    public let a: [Float]
    public let d: [Float]
    public let inner: Int, stateSize: Int, dtRank: Int, convWidth: Int

    /// Weights as PyTorch names them under the mixer.
    public init(_ weights: TensorLookup) throws {
        let aLog = try weights.shape("A_log")
        inner = aLog[0]
        stateSize = aLog[1]
        let model = try weights.shape("in_proj.weight")[1]
        dtRank = try weights.shape("dt_proj.weight")[1]
        convWidth = try weights.shape("conv1d.weight").last!
        inProjection = Linear(weight: .float32(try weights("in_proj.weight", 2 * inner, model)), bias: nil)
        xProjection = Linear(weight: .float32(try weights("x_proj.weight", dtRank + 2 * stateSize, inner)), bias: nil)
        dtProjection = Linear(weight: .float32(try weights("dt_proj.weight", inner, dtRank)), bias: try weights("dt_proj.bias", inner))
        outProjection = Linear(weight: .float32(try weights("out_proj.weight", model, inner)), bias: nil)
        convWeight = try weights("conv1d.weight", inner, 1, convWidth).values
        convBias = try weights("conv1d.bias", inner).values
        a = try weights("A_log", inner, stateSize).values.map { -exp($0) }
        d = try weights("D", inner).values
    }

    /// A zero state for step mode (zero conv history is the parallel path's zero left padding).
    public func makeState() -> MambaState {
        MambaState(conv: [Float](repeating: 0, count: inner * (convWidth - 1)), ssm: [Float](repeating: 0, count: inner * stateSize))
    }

    /// Batch mode: x [L, d_model] → [L, d_model], starting from a zero state.
    public func callAsFunction(_ x: [Float], length: Int) -> [Float] {
        var state = makeState()
        return self(x, length: length, state: &state)
    }

    /// Step mode: one row x [d_model] → [d_model], advancing `state`.
    public func step(_ x: [Float], state: inout MambaState) -> [Float] {
        self(x, length: 1, state: &state)
    }

    /// A chunk of `length` consecutive rows from `state`, leaving the state after the chunk; the projections
    /// are one matrix product each.
    public func callAsFunction(_ x: [Float], length rows: Int, state: inout MambaState) -> [Float] {
        let xz = inProjection(x, rows: rows)  // [rows, 2·inner]
        var u = [Float](repeating: 0, count: rows * inner)  // conv + SiLU output [rows, inner]
        let history = convWidth - 1
        for t in 0..<rows {
            for c in 0..<inner {
                var sum = convBias[c]
                for k in 0..<convWidth {
                    let back = history - k  // how many rows before t this tap reads
                    let value = back <= t ? xz[(t - back) * 2 * inner + c] : state.conv[c * history + (history - (back - t))]
                    sum += convWeight[c * convWidth + k] * value
                }
                u[t * inner + c] = Activation.silu(sum)
            }
        }
        // The conv history is the last `history` pre-conv inputs, oldest first.
        var conv = state.conv
        for c in 0..<inner {
            for j in 0..<history {
                let t = rows - history + j
                conv[c * history + j] = t >= 0 ? xz[t * 2 * inner + c] : state.conv[c * history + j + rows]
            }
        }
        state.conv = conv
        let projected = xProjection(u, rows: rows)  // [rows, dtRank + 2N]
        let width = dtRank + 2 * stateSize
        var dtInput = [Float](repeating: 0, count: rows * dtRank)
        for t in 0..<rows { for r in 0..<dtRank { dtInput[t * dtRank + r] = projected[t * width + r] } }
        let dt = dtProjection(dtInput, rows: rows).map(Activation.softplus)  // [rows, inner]
        var y = [Float](repeating: 0, count: rows * inner)
        state.ssm.withUnsafeMutableBufferPointer { h in
            for t in 0..<rows {
                let b = t * width + dtRank, cOffset = b + stateSize
                for c in 0..<inner {
                    let delta = dt[t * inner + c], input = u[t * inner + c]
                    var sum: Float = 0
                    for n in 0..<stateSize {
                        let i = c * stateSize + n
                        h[i] = exp(delta * a[i]) * h[i] + delta * projected[b + n] * input
                        sum += h[i] * projected[cOffset + n]
                    }
                    let gate = xz[t * 2 * inner + inner + c]
                    y[t * inner + c] = (sum + d[c] * input) * Activation.silu(gate)
                }
            }
        }
        return outProjection(y, rows: rows)
    }
}

/// The per-stream state of a Mamba mixer: the last (width − 1) conv inputs [D_inner, width − 1] and the SSM
/// state [D_inner, N].
public struct MambaState: Sendable {
    public var conv: [Float]
    public var ssm: [Float]
}

/// The Mamba residual block: x + Mixer(RMSNorm(x)).
public struct MambaBlock: Sendable {
    public let norm: RMSNorm
    public let mixer: MambaMixer

    public init(norm: RMSNorm, mixer: MambaMixer) {
        self.norm = norm
        self.mixer = mixer
    }

    /// Weights under the block: `norm.weight`, `mixer.*`.
    public init(_ weights: TensorLookup) throws {
        mixer = try MambaMixer(weights.child("mixer"))
        norm = RMSNorm(weight: try weights("norm.weight", try weights.shape("norm.weight")[0]).values)
    }

    /// Batch mode: x [L, d_model] → [L, d_model].
    public func callAsFunction(_ x: [Float], length: Int) -> [Float] {
        var y = mixer(norm(x), length: length)
        for i in y.indices { y[i] += x[i] }
        return y
    }

    /// Step mode: one row → one row.
    public func step(_ x: [Float], state: inout MambaState) -> [Float] {
        var y = mixer.step(norm(x), state: &state)
        for i in y.indices { y[i] += x[i] }
        return y
    }
}
