import Foundation

/// Pointwise activations.
enum Activation {
    /// ELU with alpha 1: x for x > 0, expm1(x) otherwise.
    static func elu(_ x: [Float]) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { y in
            for i in y.indices where y[i] <= 0 { y[i] = expm1(y[i]) }
        }
        return y
    }
}
