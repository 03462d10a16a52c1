import Foundation
import SluiceNN
import Testing

/// The BLAS-backed kernels against plain loops on small random inputs.
@Suite struct OpsTests {
    @Test func linearMatchesLoops() {
        var seed: UInt64 = 1
        let rows = 3, inputs = 5, outputs = 4
        let x = testValues(rows * inputs, seed: &seed)
        let weight = Tensor(shape: [outputs, inputs], values: testValues(outputs * inputs, seed: &seed))
        let bias = Tensor(shape: [outputs], values: testValues(outputs, seed: &seed))
        let y = Ops.linear(x, rows: rows, weight: weight, bias: bias)
        for r in 0..<rows {
            for o in 0..<outputs {
                var expected = bias.values[o]
                for i in 0..<inputs { expected += x[r * inputs + i] * weight.values[o * inputs + i] }
                #expect(abs(y[r * outputs + o] - expected) < 1e-5)
            }
        }
    }

    /// Widths that fill the 16 summing lanes exactly, leave a tail, and are shorter than one lane group.
    @Test(arguments: [16, 35, 7]) func layerNormMatchesADoublePrecisionReference(width: Int) {
        var seed: UInt64 = 2
        let x = testValues(2 * width, seed: &seed)
        let gamma = Tensor(shape: [width], values: (0..<width).map { 0.5 + Float($0) / Float(width) })
        let beta = Tensor(shape: [width], values: (0..<width).map { Float($0) / 10 - 1 })
        let y = Ops.layerNorm(x, width: width, gamma: gamma, beta: beta)
        for row in 0..<2 {
            let values = x[(row * width)..<((row + 1) * width)].map(Double.init)
            let mean = values.reduce(0, +) / Double(width)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for (i, value) in values.enumerated() {
                let expected = (value - mean) / (variance + 1e-5).squareRoot() * Double(gamma.values[i]) + Double(beta.values[i])
                #expect(abs(Double(y[row * width + i]) - expected) < 1e-5, "row \(row), column \(i)")
            }
        }
    }

    @Test func causalAttentionMatchesLoops() {
        var seed: UInt64 = 3
        let tokens = 5, width = 8, heads = 2, headWidth = 4
        let q = testValues(tokens * width, seed: &seed), k = testValues(tokens * width, seed: &seed), v = testValues(tokens * width, seed: &seed)
        let y = q.withUnsafeBufferPointer { qp in
            k.withUnsafeBufferPointer { kp in
                v.withUnsafeBufferPointer { vp in
                    Ops.attention(
                        q: qp.baseAddress!, qStride: width, queries: tokens, k: kp.baseAddress!, v: vp.baseAddress!,
                        kvStride: width, keys: tokens, width: width, heads: heads, causalOffset: 0)
                }
            }
        }
        for head in 0..<heads {
            for i in 0..<tokens {
                var scores = (0...i).map { j in
                    (0..<headWidth).reduce(Float(0)) { $0 + q[i * width + head * headWidth + $1] * k[j * width + head * headWidth + $1] } / 2
                }
                let top = scores.max()!
                scores = scores.map { exp($0 - top) }
                let sum = scores.reduce(0, +)
                for c in 0..<headWidth {
                    let expected = (0...i).reduce(Float(0)) { $0 + scores[$1] / sum * v[$1 * width + head * headWidth + c] }
                    #expect(abs(y[i * width + head * headWidth + c] - expected) < 1e-5)
                }
            }
        }
    }
}
