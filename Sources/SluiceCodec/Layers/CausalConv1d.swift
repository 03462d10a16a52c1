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
        let padded = history + length
        // [inChannels × padded]: the carried tail, then the new input.
        var input = [Float](repeating: 0, count: inChannels * padded)
        for c in 0..<inChannels {
            for t in 0..<history { input[c * padded + t] = state[c * history + t] }
            for t in 0..<length { input[c * padded + history + t] = x[c * length + t] }
            for t in 0..<history { state[c * history + t] = input[c * padded + length + t] }
        }
        let outLength = length / stride
        let rows = inChannels * kernel
        // im2col: [inChannels × kernel, outLength]
        var columns = [Float](repeating: 0, count: rows * outLength)
        for c in 0..<inChannels {
            for j in 0..<kernel {
                let row = (c * kernel + j) * outLength
                let offset = c * padded + j * dilation
                for t in 0..<outLength { columns[row + t] = input[offset + t * stride] }
            }
        }
        var y = [Float](repeating: 0, count: outChannels * outLength)
        for o in 0..<outChannels {
            for t in 0..<outLength { y[o * outLength + t] = bias[o] }
        }
        guard outLength > 0 else { return y }
        weight.withUnsafeBufferPointer { w in
            columns.withUnsafeBufferPointer { col in
                y.withUnsafeMutableBufferPointer { out in
                    BLAS.sgemm(.none, .none, m: outChannels, n: outLength, k: rows, a: w.baseAddress!, lda: rows,
                               b: col.baseAddress!, ldb: outLength, beta: 1, c: out.baseAddress!, ldc: outLength)
                }
            }
        }
        return y
    }
}
