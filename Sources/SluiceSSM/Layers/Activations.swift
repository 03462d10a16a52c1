import Foundation

/// Pointwise activations of the state-space blocks (PyTorch's definitions).
public enum Activation {
    /// x · sigmoid(x).
    @inline(__always) public static func silu(_ x: Float) -> Float { x / (1 + exp(-x)) }

    /// log(1 + eˣ), linear above 20 as `torch.nn.functional.softplus`.
    @inline(__always) public static func softplus(_ x: Float) -> Float { x > 20 ? x : log1p(exp(x)) }

    /// The exact (erf) GELU.
    @inline(__always) public static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.707_106_78)) }

    /// GLU over rows of width 2w: the first half times the sigmoid of the second; returns rows × w.
    public static func glu(_ x: [Float], rows: Int, width: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for i in 0..<width {
                let a = x[row * 2 * width + i], b = x[row * 2 * width + width + i]
                y[row * width + i] = a / (1 + exp(-b))
            }
        }
        return y
    }
}

/// RMS normalisation of each row (eps 1e-5), as Mamba's residual blocks use it.
public struct RMSNorm: Sendable {
    public let weight: [Float]
    public let eps: Float

    public init(weight: [Float], eps: Float = 1e-5) {
        self.weight = weight
        self.eps = eps
    }

    /// x (rows × width) → rows × width.
    public func callAsFunction(_ x: [Float]) -> [Float] {
        let width = weight.count
        var y = x
        for row in 0..<(x.count / width) {
            var sum: Float = 0
            for i in 0..<width { sum += x[row * width + i] * x[row * width + i] }
            let scale = 1 / (sum / Float(width) + eps).squareRoot()
            for i in 0..<width { y[row * width + i] = x[row * width + i] * scale * weight[i] }
        }
        return y
    }
}
