import CKernels
import Foundation
import Testing

@testable import SluiceNN

/// Every SIMD level this CPU has against the portable kernels (the only ones other architectures build), the
/// portable kernels against plain loops, and the `SLUICE_SIMD` switch. The other kernel tests run at the
/// level in use, so CI's run with `SLUICE_SIMD=off` holds the portable code to them too.
@Suite struct SIMDLevelTests {
    /// The levels this CPU can run, lowest first.
    static let levels = (0...SIMDLevel.supported.rawValue).map(SIMDLevel.init)

    static func kernels(_ level: SIMDLevel) -> sluice_kernel_table { sluice_kernels(level.rawValue).pointee }

    /// |a - b| within `tolerance` of the larger magnitude (or absolutely, near 0).
    static func close(_ a: Float, _ b: Float, _ tolerance: Float) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    @Test func theSettingIsParsedAsDocumented() {
        #expect(sluice_simd_parse("off") == SIMDLevel.off.rawValue)
        #expect(sluice_simd_parse("avx2") == SIMDLevel.avx2.rawValue)
        #expect(sluice_simd_parse("neon") == SIMDLevel.neon.rawValue)
        #expect(sluice_simd_parse("avx512") == SIMDLevel.avx512.rawValue)
        for unset in [nil, "", "auto"] { #expect(sluice_simd_parse(unset) == SIMDLevel.avx512.rawValue) }
        for bad in ["AVX2", "sse", "neon ", "1"] { #expect(sluice_simd_parse(bad) == -1) }
        #if arch(x86_64)
            #expect([SIMDLevel.off, .avx2, .avx512].map(\.description) == ["off", "avx2", "avx512"])
        #elseif arch(arm64)
            #expect([SIMDLevel.off, .neon].map(\.description) == ["off", "neon"])
        #endif
    }

    @Test func theLevelInUseIsTheCPUsBestCappedByTheSetting() {
        let cap = sluice_simd_parse(ProcessInfo.processInfo.environment["SLUICE_SIMD"])
        let expected = cap < 0 ? SIMDLevel.off : min(SIMDLevel(rawValue: cap), SIMDLevel.supported)
        #expect(SIMDLevel.current == expected)
        #expect((SIMDLevel.settingProblem != nil) == (cap < 0))
        #if arch(arm64)
            #expect(SIMDLevel.supported == .neon)
        #elseif !arch(x86_64)
            #expect(SIMDLevel.supported == .off)
        #endif
    }

    @Test func aLevelAboveTheCPUsGivesTheCPUsKernels() {
        #expect(sluice_kernels(SIMDLevel.avx512.rawValue) == sluice_kernels(SIMDLevel.supported.rawValue))
        #expect(sluice_kernels(SIMDLevel.off.rawValue) != sluice_kernels(SIMDLevel.supported.rawValue) || SIMDLevel.supported == .off)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 9, 13])
    func skinnyProductsAgreeAtEveryLevel(rows: Int) {
        var seed = UInt64(100 + rows)
        for (outputs, inputs) in [(37, 50), (9, 64), (5, 7)] {  // tails of 16 and 8, whole vectors, under one vector
            let x = testValues(rows * inputs, seed: &seed), w = testValues(outputs * inputs, seed: &seed)
            let halves = w.map { Float16($0).bitPattern }
            let ldy = outputs + 3  // a wider output, with columns outside [1, outputs - 1) left alone
            var expected = [Float](repeating: 0.5, count: rows * ldy), expectedHalf = expected
            for r in 0..<rows {
                for o in 1..<(outputs - 1) {
                    for i in 0..<inputs {
                        expected[r * ldy + o] += x[r * inputs + i] * w[o * inputs + i]
                        expectedHalf[r * ldy + o] += x[r * inputs + i] * Half.toFloat(halves[o * inputs + i])
                    }
                }
            }
            for level in Self.levels {
                let table = Self.kernels(level)
                var y = [Float](repeating: 0.5, count: rows * ldy), yHalf = y
                table.skinny_product!(x, Int32(rows), w, 1, Int32(outputs - 1), Int32(inputs), &y, Int32(ldy))
                table.skinny_product_f16!(x, Int32(rows), halves, 1, Int32(outputs - 1), Int32(inputs), &yHalf, Int32(ldy))
                #expect(zip(y, expected).allSatisfy { Self.close($0, $1, 1e-5) }, "\(level), \(outputs)x\(inputs)")
                #expect(zip(yHalf, expectedHalf).allSatisfy { Self.close($0, $1, 1e-5) }, "\(level) f16, \(outputs)x\(inputs)")
            }
        }
    }

    @Test func softmaxAndLogSumExpAgreeAtEveryLevel() {
        var seed: UInt64 = 21
        for width in [1, 7, 16, 53, 1500] {
            var input = testValues(3 * width, seed: &seed).map { $0 * 40 }
            if width > 1 { input[0] = -.infinity }  // a masked entry
            for i in (2 * width)..<(3 * width) { input[i] = -.infinity }  // a fully masked row stays as it is
            var expected = input
            for r in 0..<2 {
                let row = (r * width)..<((r + 1) * width)
                let top = input[row].max()!
                let sum = input[row].reduce(0.0) { $0 + Double(exp($1 - top)) }
                for i in row { expected[i] = Float(Double(exp(input[i] - top)) / sum) }
            }
            let row1 = Array(input[width..<(2 * width)])
            let top = row1.max()!
            let expectedLSE = top + Float(log(row1.reduce(0.0) { $0 + Double(exp($1 - top)) }))
            for level in Self.levels {
                let table = Self.kernels(level)
                var x = input
                table.softmax_rows!(&x, 3, Int32(width))
                #expect(zip(x, expected).allSatisfy { $0 == $1 || abs($0 - $1) < 2e-6 }, "\(level), width \(width)")
                #expect((width == 1 || x[0] == 0) && x[(2 * width)...].allSatisfy { $0 == -.infinity })
                #expect(Self.close(table.log_sum_exp!(row1, Int32(width)), expectedLSE, 1e-6), "\(level), width \(width)")
                #expect(table.log_sum_exp!(Array(input[(2 * width)...]), Int32(width)) == -.infinity)
            }
        }
    }

    @Test func geluAgreesAtEveryLevel() {
        var seed: UInt64 = 31
        let input = testValues(1000, seed: &seed).map { $0 * 12 } + [0, -0.0, 30, -30, 1e-20, -1e-20, 5.5]
        let expected = input.map { Float(0.5 * Double($0) * (1 + erf(Double($0) / 2.0.squareRoot()))) }
        for level in Self.levels {
            var x = input
            Self.kernels(level).gelu!(&x, x.count)
            // erf to 1.5e-7, so an absolute bound (GELU(x) is 0 or x where erf saturates)
            #expect(zip(x, expected).allSatisfy { abs($0 - $1) < 1e-5 * max(1, abs($1)) }, "\(level)")
        }
    }

    @Test(arguments: [64, 24, 20, 144])  // AVX-512 width, AVX2 width, neither, over 128 (portable everywhere)
    func attentionAgreesAtEveryLevel(headWidth: Int) {
        var seed = UInt64(headWidth)
        let queries = 3, keys = 11, ldq = headWidth + 2, ldkv = headWidth + 5, ldout = headWidth + 1
        let q = testValues(queries * ldq, seed: &seed), k = testValues(keys * ldkv, seed: &seed)
        let v = testValues(keys * ldkv, seed: &seed)
        let scale = 1 / Float(headWidth).squareRoot()
        for causalOffset in [-1, 0, 4] {
            var expected = [Float](repeating: 0, count: queries * ldout)
            for i in 0..<queries {
                let visible = causalOffset < 0 ? keys : min(keys, i + causalOffset + 1)
                let scores = (0..<visible).map { j in
                    (0..<headWidth).reduce(Float(0)) { $0 + q[i * ldq + $1] * k[j * ldkv + $1] } * scale
                }
                let top = scores.max()!
                let weights = scores.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for c in 0..<headWidth {
                    expected[i * ldout + c] = (0..<visible).reduce(Float(0)) { $0 + weights[$1] / total * v[$1 * ldkv + c] }
                }
            }
            for level in Self.levels {
                var out = [Float](repeating: 0, count: queries * ldout)
                var scores = [Float](repeating: 0, count: queries * keys)
                Self.kernels(level).attention_few!(
                    q, Int32(ldq), Int32(queries), k, v, Int32(ldkv), Int32(keys), Int32(headWidth), scale,
                    Int32(causalOffset), &scores, &out, Int32(ldout))
                for i in 0..<queries {
                    for c in 0..<headWidth {
                        #expect(abs(out[i * ldout + c] - expected[i * ldout + c]) < 1e-5, "\(level), offset \(causalOffset)")
                    }
                    let visible = causalOffset < 0 ? keys : min(keys, i + causalOffset + 1)
                    let row = scores[(i * keys)..<((i + 1) * keys)]
                    #expect(abs(row.reduce(0, +) - 1) < 1e-5 && row.dropFirst(visible).allSatisfy { $0 == 0 })
                }
            }
        }
    }

    @Test func widenedHalvesAreExactAtEveryLevel() {
        let halves = (0...UInt16.max).map { $0 }
        let expected = halves.map { Float(Float16(bitPattern: $0)) }
        for level in Self.levels {
            var out = [Float](repeating: 0, count: halves.count)
            Self.kernels(level).half_to_float!(halves, &out, out.count)
            #expect(zip(out, expected).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }, "\(level)")
        }
    }
}
