import SluiceNN

/// A causal 1-D convolution: k_eff − stride samples of left context, none on the right (EnCodec's streaming rule).
///
/// In streaming the left context is the tail of the previous input (zeros at the start), so cutting the
/// input anywhere on a stride boundary gives the same output as running it whole.
struct CausalConv1d: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let dilation: Int
    /// [outChannels, inChannels × kernel], PyTorch's Conv1d layout.
    let weight: [Float]
    /// [outChannels]
    let bias: [Float]

    init(weight: Tensor, bias: Tensor, stride: Int = 1, dilation: Int = 1) throws {
        guard weight.shape.count == 3, bias.shape == [weight.shape[0]] else {
            throw ModelFileError("conv weight \(weight.shape) with bias \(bias.shape): expected [out, in, k] and [out]")
        }
        outChannels = weight.shape[0]
        inChannels = weight.shape[1]
        kernel = weight.shape[2]
        self.stride = stride
        self.dilation = dilation
        self.weight = weight.values
        self.bias = bias.values
    }

    /// Input samples per channel carried from one call to the next.
    var history: Int { (kernel - 1) * dilation + 1 - stride }

    /// Zeroed state for a new stream: [inChannels × history].
    func initialState() -> [Float] { [Float](repeating: 0, count: inChannels * history) }

    /// x [inChannels × length] (length a multiple of stride) → [outChannels × length / stride]; updates `state`.
    func callAsFunction(_ x: [Float], length: Int, state: inout [Float]) -> [Float] {
        let history = history, padded = history + length
        let outLength = length / stride
        let rows = inChannels * kernel
        // [inChannels × padded]: the carried tail, then the new input.
        var input = [Float](repeating: 0, count: inChannels * padded)
        // im2col: [inChannels × kernel, outLength]
        var columns = [Float](repeating: 0, count: rows * outLength)
        input.withUnsafeMutableBufferPointer { input in
            x.withUnsafeBufferPointer { x in
                state.withUnsafeMutableBufferPointer { state in
                    for c in 0..<inChannels {
                        let row = input.baseAddress! + c * padded
                        if history > 0 { row.update(from: state.baseAddress! + c * history, count: history) }
                        if length > 0 { (row + history).update(from: x.baseAddress! + c * length, count: length) }
                        if history > 0 { (state.baseAddress! + c * history).update(from: row + length, count: history) }
                    }
                }
            }
            columns.withUnsafeMutableBufferPointer { columns in
                for c in 0..<inChannels {
                    for j in 0..<kernel {
                        let target = columns.baseAddress! + (c * kernel + j) * outLength
                        let source = input.baseAddress! + c * padded + j * dilation
                        if stride == 1 {
                            target.update(from: source, count: outLength)
                        } else {
                            for t in 0..<outLength { target[t] = source[t * stride] }
                        }
                    }
                }
            }
        }
        var y = [Float](repeating: 0, count: outChannels * outLength)
        guard outLength > 0 else { return y }
        y.withUnsafeMutableBufferPointer { out in
            for o in 0..<outChannels { (out.baseAddress! + o * outLength).update(repeating: bias[o], count: outLength) }
            weight.withUnsafeBufferPointer { w in
                columns.withUnsafeBufferPointer { col in
                    BLAS.sgemm(
                        .none, .none, m: outChannels, n: outLength, k: rows, a: w.baseAddress!, lda: rows,
                        b: col.baseAddress!, ldb: outLength, beta: 1, c: out.baseAddress!, ldc: outLength)
                }
            }
        }
        return y
    }
}
