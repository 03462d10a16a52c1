/// A dense layer, y = x · Wᵀ + b, with its weights resolved once at load time.
public struct Linear: Sendable {
    /// outputs × inputs, float32 or (as stored) float16.
    public let weight: WeightMatrix
    /// outputs, or none.
    public let bias: Tensor?

    public init(weight: WeightMatrix, bias: Tensor?) {
        precondition(weight.shape.count == 2, "a linear weight is 2-D, got \(weight.shape)")
        self.weight = weight
        self.bias = bias
    }

    public var inputs: Int { weight.shape[1] }
    public var outputs: Int { weight.shape[0] }

    /// Applies the layer to `rows` rows of `inputs` values; returns rows × outputs.
    public func callAsFunction(_ x: [Float], rows: Int) -> [Float] {
        Ops.linear(x, rows: rows, weight: weight, bias: bias)
    }
}

/// Layer normalisation with learned scale and shift (eps 1e-5).
public struct LayerNorm: Sendable {
    public let gamma: Tensor
    public let beta: Tensor

    public init(gamma: Tensor, beta: Tensor) {
        self.gamma = gamma
        self.beta = beta
    }

    /// Normalises each row of x (rows × width).
    public func callAsFunction(_ x: [Float]) -> [Float] {
        Ops.layerNorm(x, width: gamma.count, gamma: gamma, beta: beta)
    }
}
