import SluiceNN

/// The pre-norm residual S4D block of the S4 examples: x + GLU(W·GELU(S4D(LayerNorm(x))) + b),
/// with W a 1×1 convolution H → 2H.
public struct S4DBlock: Sendable {
    public let norm: LayerNorm
    public let s4d: S4DLayer
    public let output: Linear

    /// Weights as PyTorch names them under the block: `norm.{weight,bias}`, `s4d.*`, `output_linear.{weight,bias}`.
    public init(_ weights: TensorLookup) throws {
        s4d = try S4DLayer(weights.child("s4d"))
        let h = s4d.channels
        norm = LayerNorm(gamma: try weights("norm.weight", h), beta: try weights("norm.bias", h))
        output = Linear(weight: .float32(try weights("output_linear.weight", 2 * h, h)), bias: try weights("output_linear.bias", 2 * h))
    }

    public var channels: Int { s4d.channels }

    /// Batch mode: x [L, H] → [L, H].
    public func callAsFunction(_ x: [Float], length: Int) -> [Float] {
        mix(x, s4d(norm(x), length: length), rows: length)
    }

    /// Step mode: one row x [H] → [H], advancing `state`.
    public func step(_ x: [Float], state: inout S4DState) -> [Float] {
        mix(x, s4d.step(norm(x), state: &state), rows: 1)
    }

    /// The pointwise tail shared by both modes: GELU, the 1×1 convolution, GLU and the residual.
    private func mix(_ x: [Float], _ y: [Float], rows: Int) -> [Float] {
        var z = output(y.map(Activation.gelu), rows: rows)
        z = Activation.glu(z, rows: rows, width: channels)
        for i in z.indices { z[i] += x[i] }
        return z
    }
}
