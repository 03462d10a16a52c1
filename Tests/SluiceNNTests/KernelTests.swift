import Foundation
import Testing

@testable import SluiceNN

/// The C kernels and the float16 conversion against plain reference loops.
@Suite struct KernelTests {
    @Test func halfConversionMatchesTheCompilerForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = Half.toFloat(bits)
            if expected.isNaN {
                #expect(actual.isNaN)
            } else if actual.bitPattern != expected.bitPattern {
                Issue.record("half \(bits): \(actual) != \(expected)")
                return
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13])
    func skinnyProductMatchesLoops(rows: Int) {
        var seed = UInt64(rows)
        let outputs = 37, inputs = 50  // neither a multiple of the block sizes
        let x = testValues(rows * inputs, seed: &seed), w = testValues(outputs * inputs, seed: &seed)
        let halves = w.map { Float16($0).bitPattern }
        let widened = halves.map(Half.toFloat)
        var y = [Float](repeating: 1, count: rows * outputs), yHalf = y
        SkinnyProduct.multiplyAdd(x: x, rows: rows, w: w, outputs: outputs, inputs: inputs, y: &y)
        SkinnyProduct.multiplyAdd(x: x, rows: rows, w: halves, outputs: outputs, inputs: inputs, y: &yHalf)
        for r in 0..<rows {
            for o in 0..<outputs {
                var expected: Float = 1, expectedHalf: Float = 1
                for i in 0..<inputs {
                    expected += x[r * inputs + i] * w[o * inputs + i]
                    expectedHalf += x[r * inputs + i] * widened[o * inputs + i]
                }
                #expect(abs(y[r * outputs + o] - expected) < 1e-4)
                #expect(abs(yHalf[r * outputs + o] - expectedHalf) < 1e-4)
            }
        }
    }

    @Test func largeProductsSplitAcrossThreadsGiveTheSameResult() {
        var seed: UInt64 = 7
        let outputs = 3000, inputs = 384  // over a million weights: split by output ranges
        let x = testValues(2 * inputs, seed: &seed), w = testValues(outputs * inputs, seed: &seed)
        let y = Ops.linear(x, rows: 2, weight: Tensor(shape: [outputs, inputs], values: w), bias: nil)
        for (r, o) in [(0, 0), (1, 1499), (0, 1500), (1, 2999)] {
            let expected = (0..<inputs).reduce(Float(0)) { $0 + x[r * inputs + $1] * w[o * inputs + $1] }
            #expect(abs(y[r * outputs + o] - expected) < 1e-3)
        }
    }

    @Test func manyRowsOfHalfWeightsWidenBlockByBlock() {
        var seed: UInt64 = 11
        let rows = 12, inputs = 384, outputs = 2 * Ops.widenedBlockFloats / inputs + 5  // two blocks and a short one
        let x = testValues(rows * inputs, seed: &seed), w = testValues(outputs * inputs, seed: &seed)
        let halves = w.map { Float16($0).bitPattern }
        let bias = testValues(outputs, seed: &seed)
        let y = Ops.linear(
            x, rows: rows, weight: .float16(HalfTensor(shape: [outputs, inputs], values: halves)),
            bias: Tensor(shape: [outputs], values: bias))
        let expected = Ops.linear(
            x, rows: rows, weight: .float32(Tensor(shape: [outputs, inputs], values: halves.map(Half.toFloat))),
            bias: Tensor(shape: [outputs], values: bias))
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func softmaxMatchesLoopsAndIgnoresMaskedEntries() {
        var seed: UInt64 = 11
        let width = 53
        var x = testValues(3 * width, seed: &seed).map { $0 * 30 }
        x[5] = -.infinity
        let input = x
        x.withUnsafeMutableBufferPointer { Ops.softmaxRows($0, rows: 3, width: width) }
        for r in 0..<3 {
            let row = input[(r * width)..<((r + 1) * width)]
            let top = row.max()!
            let sum = row.reduce(Float(0)) { $0 + exp($1 - top) }
            for i in row.indices { #expect(abs(x[i] - exp(input[i] - top) / sum) < 2e-6) }
        }
        #expect(x[5] == 0)
    }
}
