import Foundation

/// Pointwise activations, in place.
enum Activation {
    /// ELU with alpha 1: x for x > 0, expm1(x) otherwise.
    static func elu(_ x: [Float]) -> [Float] {
        x.map { $0 > 0 ? $0 : expm1($0) }
    }
}
