import CKernels
import Foundation

/// Neural-network kernels on float buffers (OpenBLAS for the matrix products). Pure functions.
public enum Ops {
    /// y = x · Wᵀ + b.
    /// - Parameters: x (rows × inputs), weight (outputs × inputs), bias (outputs); returns rows × outputs.
    public static func linear(_ x: [Float], rows: Int, weight: Tensor, bias: Tensor?) -> [Float] {
        linear(x, rows: rows, weight: .float32(weight), bias: bias)
    }

    /// y = x · Wᵀ + b for a weight matrix stored as float32 or float16 (widened exactly).
    ///
    /// A few rows (a decoder step) stream the weights once through `SkinnyProduct`; more rows use OpenBLAS.
    /// Float16 weights are widened a block of outputs at a time into a scratch buffer that stays in cache:
    /// widening a whole vocabulary projection (80 MB) per call would cost more than the product.
    public static func linear(_ x: [Float], rows: Int, weight: WeightMatrix, bias: Tensor? = nil) -> [Float] {
        let outputs = weight.shape[0], inputs = weight.shape[1]
        precondition(x.count == rows * inputs, "linear: input has \(x.count) values, expected \(rows) × \(inputs)")
        var y = [Float](repeating: 0, count: rows * outputs)
        if let bias {
            for row in 0..<rows { y.replaceSubrange((row * outputs)..<((row + 1) * outputs), with: bias.values) }
        }
        y.withUnsafeMutableBufferPointer { out in
            switch weight {
            case .float32(let tensor) where rows <= SkinnyProduct.maxRows:
                SkinnyProduct.multiplyAdd(x: x, rows: rows, w: tensor.values, outputs: outputs, inputs: inputs, y: out.baseAddress!)
            case .float16(let half) where rows <= SkinnyProduct.maxRows:
                SkinnyProduct.multiplyAdd(x: x, rows: rows, w: half.values, outputs: outputs, inputs: inputs, y: out.baseAddress!)
            case .float32(let tensor):
                BLAS.sgemm(
                    .none, .transposed, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: tensor.values, ldb: inputs,
                    beta: bias == nil ? 0 : 1, c: out.baseAddress!, ldc: outputs)
            case .float16(let half):
                let block = min(outputs, max(1, widenedBlockFloats / inputs))
                withUnsafeTemporaryAllocation(of: Float.self, capacity: block * inputs) { widened in
                    half.values.withUnsafeBufferPointer { values in
                        for first in stride(from: 0, to: outputs, by: block) {
                            let count = min(block, outputs - first)
                            sluice_half_to_float(values.baseAddress! + first * inputs, widened.baseAddress!, count * inputs)
                            BLAS.sgemm(
                                .none, .transposed, m: rows, n: count, k: inputs, a: x, lda: inputs,
                                b: widened.baseAddress!, ldb: inputs, beta: bias == nil ? 0 : 1,
                                c: out.baseAddress! + first, ldc: outputs)
                        }
                    }
                }
            }
        }
        return y
    }

    /// Float16 weights widened per block of a product (1 MB of floats: within a core's L2 cache).
    static let widenedBlockFloats = 1 << 18

    /// Layer normalisation of each row of x (rows × width); eps 1e-5 as Whisper's, or the model's own.
    ///
    /// The mean and variance are summed in 16 lanes: a single running sum waits on each addition in turn
    /// (a 30 s Whisper window's 13 norms took 25 ms that way).
    public static func layerNorm(_ x: [Float], width: Int, gamma: Tensor, beta: Tensor, eps: Float = 1e-5) -> [Float] {
        var y = x
        let rows = x.count / width
        gamma.values.withUnsafeBufferPointer { gamma in
            beta.values.withUnsafeBufferPointer { beta in
                y.withUnsafeMutableBufferPointer { out in
                    for row in 0..<rows {
                        let values = out.baseAddress! + row * width
                        let mean = laneSum(UnsafePointer(values), count: width) { $0 } / Float(width)
                        let variance = laneSum(UnsafePointer(values), count: width) { ($0 - mean) * ($0 - mean) } / Float(width)
                        let scale = 1 / (variance + eps).squareRoot()
                        for i in 0..<width { values[i] = (values[i] - mean) * scale * gamma[i] + beta[i] }
                    }
                }
            }
        }
        return y
    }

    /// The sum of `term` over `count` values, accumulated in 16 lanes.
    @inline(__always)
    private static func laneSum(_ values: UnsafePointer<Float>, count: Int, _ term: (SIMD16<Float>) -> SIMD16<Float>) -> Float {
        let raw = UnsafeRawPointer(values)
        var lanes = SIMD16<Float>()
        var index = 0
        while index + 16 <= count {
            lanes += term(raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self))
            index += 16
        }
        var total = lanes.sum()
        while index < count {
            total += term(SIMD16(repeating: values[index]))[0]  // the same term, on one value
            index += 1
        }
        return total
    }

    /// GELU with the exact erf, in place.
    public static func gelu(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { sluice_gelu($0.baseAddress!, $0.count) }
    }

    /// 1-D convolution with kernel 3 and padding 1.
    /// - Parameters: input (channels × length), weight (outputs × channels × 3), bias (outputs);
    ///   returns outputs × ((length − 1) / stride + 1).
    public static func conv1d(_ input: [Float], channels: Int, length: Int, weight: Tensor, bias: Tensor, stride: Int) -> (
        values: [Float], length: Int
    ) {
        let outputs = weight.shape[0], kernel = weight.shape[2]
        let outLength = (length + 2 - kernel) / stride + 1
        // im2col: (channels × kernel) × outLength
        var columns = [Float](repeating: 0, count: channels * kernel * outLength)
        for c in 0..<channels {
            for k in 0..<kernel {
                let row = (c * kernel + k) * outLength
                for t in 0..<outLength {
                    let source = t * stride + k - 1
                    if source >= 0 && source < length { columns[row + t] = input[c * length + source] }
                }
            }
        }
        var y = [Float](repeating: 0, count: outputs * outLength)
        for o in 0..<outputs { for t in 0..<outLength { y[o * outLength + t] = bias.values[o] } }
        y.withUnsafeMutableBufferPointer { out in
            BLAS.sgemm(
                .none, .none, m: outputs, n: outLength, k: channels * kernel, a: weight.values, lda: channels * kernel,
                b: columns, ldb: outLength, beta: 1, c: out.baseAddress!, ldc: outLength)
        }
        return (y, outLength)
    }

    /// Softmax of each row of x (rows × width), in place.
    public static func softmaxRows(_ x: UnsafeMutableBufferPointer<Float>, rows: Int, width: Int) {
        sluice_softmax_rows(x.baseAddress!, Int32(rows), Int32(width))
    }

    /// Multi-head scaled dot-product attention over strided rows.
    /// - Parameters: q (queries rows, stride `qStride`), k and v (keys rows, stride `kvStride`), each row's
    ///   first `width` values split into `heads`; `causalOffset`: if set, query i attends keys 0...i + offset;
    ///   `scores`: if set, called per head with its scaled scores (queries × keys) before masking and softmax.
    /// - Returns: queries × width.
    public static func attention(
        q: UnsafePointer<Float>, qStride: Int, queries: Int,
        k: UnsafePointer<Float>, v: UnsafePointer<Float>, kvStride: Int, keys: Int,
        width: Int, heads: Int, causalOffset: Int?,
        scores captureScores: ((Int, UnsafeBufferPointer<Float>) -> Void)? = nil
    ) -> [Float] {
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        var output = [Float](repeating: 0, count: queries * width)
        var scores = [Float](repeating: 0, count: queries * keys)
        if queries <= SkinnyProduct.maxRows && captureScores == nil {
            // A decoder step: a few queries, no BLAS (and so no BLAS threads woken).
            output.withUnsafeMutableBufferPointer { out in
                scores.withUnsafeMutableBufferPointer { s in
                    for head in 0..<heads {
                        let offset = head * headWidth
                        sluice_attention_few(
                            q + offset, Int32(qStride), Int32(queries), k + offset, v + offset, Int32(kvStride),
                            Int32(keys), Int32(headWidth), scale, Int32(causalOffset ?? -1), s.baseAddress!,
                            out.baseAddress! + offset, Int32(width))
                    }
                }
            }
            return output
        }
        for head in 0..<heads {
            let offset = head * headWidth
            scores.withUnsafeMutableBufferPointer { s in
                BLAS.sgemm(
                    .none, .transposed, m: queries, n: keys, k: headWidth, alpha: scale, a: q + offset, lda: qStride,
                    b: k + offset, ldb: kvStride, c: s.baseAddress!, ldc: keys)
                captureScores?(head, UnsafeBufferPointer(s))
                if let causalOffset {
                    for i in 0..<queries where i + causalOffset + 1 < keys {
                        for j in (i + causalOffset + 1)..<keys { s[i * keys + j] = -.infinity }
                    }
                }
                softmaxRows(s, rows: queries, width: keys)
            }
            output.withUnsafeMutableBufferPointer { out in
                BLAS.sgemm(
                    .none, .none, m: queries, n: headWidth, k: keys, a: scores, lda: keys, b: v + offset, ldb: kvStride,
                    c: out.baseAddress! + offset, ldc: width)
            }
        }
        return output
    }

    /// x += y, elementwise.
    public static func add(_ x: inout [Float], _ y: [Float]) {
        for i in x.indices { x[i] += y[i] }
    }

    /// Sets the number of OpenBLAS threads.
    public static func setThreads(_ count: Int) { BLAS.setThreads(count) }
}

extension Double {
    fileprivate var floatValue: Float { Float(self) }
}
