import SluiceNN

/// A causal transposed 1-D convolution: the kernel − stride samples past the end are trimmed (EnCodec's rule), so
/// T frames give exactly T × stride samples.
///
/// In streaming the trimmed tail is not lost: it is the overlap that the next frames add to, carried as state.
struct CausalConvTranspose1d: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    /// [inChannels, outChannels × kernel], PyTorch's ConvTranspose1d layout.
    let weight: [Float]
    /// [outChannels]
    let bias: [Float]

    init(weight: Tensor, bias: Tensor, stride: Int) throws {
        guard weight.shape.count == 3, bias.shape == [weight.shape[1]], weight.shape[2] >= stride else {
            throw ModelFileError("transposed conv weight \(weight.shape), bias \(bias.shape), stride \(stride): expected [in, out, k ≥ stride] and [out]")
        }
        inChannels = weight.shape[0]
        outChannels = weight.shape[1]
        kernel = weight.shape[2]
        self.stride = stride
        self.weight = weight.values
        self.bias = bias.values
    }

    /// Overlap samples per channel carried to the next call.
    var overlap: Int { kernel - stride }

    /// Zeroed state for a new stream: [outChannels × overlap], without bias.
    func initialState() -> [Float] { [Float](repeating: 0, count: outChannels * overlap) }

    /// x [inChannels × length] → [outChannels × length × stride]; updates `state`.
    func callAsFunction(_ x: [Float], length: Int, state: inout [Float]) -> [Float] {
        let rows = outChannels * kernel
        // columns[(o × kernel + j), t] = Σ_c weight[c, o, j] · x[c, t]
        var columns = [Float](repeating: 0, count: rows * length)
        if length > 0 {
            weight.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { input in
                    columns.withUnsafeMutableBufferPointer { col in
                        BLAS.sgemm(.transposed, .none, m: rows, n: length, k: inChannels, a: w.baseAddress!, lda: rows,
                                   b: input.baseAddress!, ldb: length, c: col.baseAddress!, ldc: length)
                    }
                }
            }
        }
        let outLength = length * stride
        let full = outLength + overlap
        var y = [Float](repeating: 0, count: outChannels * outLength)
        var accumulator = [Float](repeating: 0, count: full)
        for o in 0..<outChannels {
            for i in 0..<full { accumulator[i] = 0 }
            for i in 0..<overlap { accumulator[i] = state[o * overlap + i] }
            for j in 0..<kernel {
                let row = (o * kernel + j) * length
                for t in 0..<length { accumulator[t * stride + j] += columns[row + t] }
            }
            for i in 0..<outLength { y[o * outLength + i] = accumulator[i] + bias[o] }
            for i in 0..<overlap { state[o * overlap + i] = accumulator[outLength + i] }
        }
        return y
    }
}
