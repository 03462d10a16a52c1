import SluiceNN

/// A causal ConvNeXt block at the frame rate, x + γ ⊙ W₂ gelu(W₁ norm(dwconv(x))): the depthwise conv sees only
/// past frames and the LayerNorm runs within one frame, so the block streams frame by frame with the last
/// kernel − 1 input frames as its only state.
struct ConvNeXtBlock: Sendable {
    let depthwise: FrameDepthwiseConv
    let norm: (gamma: Tensor, beta: Tensor)
    /// dim → hidden, and hidden → dim.
    let expand: Linear
    let project: Linear
    /// Layer scale γ: [dim].
    let scale: [Float]
    let epsilon: Float

    var dim: Int { depthwise.channels }

    /// Zeroed state for a new stream.
    func initialState() -> [Float] { depthwise.initialState() }

    /// x [frames × dim] → [frames × dim]; updates `state`.
    func callAsFunction(_ x: [Float], frames: Int, state: inout [Float]) -> [Float] {
        guard frames > 0 else { return [] }
        let mixed = depthwise(x, frames: frames, state: &state)
        let normed = Ops.layerNorm(mixed, width: dim, gamma: norm.gamma, beta: norm.beta, eps: epsilon)
        // [frames × hidden]
        var hidden = expand(normed, rows: frames)
        Ops.gelu(&hidden)
        let update = project(hidden, rows: frames)
        var y = x
        let dim = dim
        y.withUnsafeMutableBufferPointer { y in
            update.withUnsafeBufferPointer { u in
                scale.withUnsafeBufferPointer { s in
                    for t in 0..<frames {
                        for c in 0..<dim { y[t * dim + c] += s[c] * u[t * dim + c] }
                    }
                }
            }
        }
        return y
    }
}
