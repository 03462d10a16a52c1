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
            throw ModelFileError(
                "transposed conv weight \(weight.shape), bias \(bias.shape), stride \(stride): expected [in, out, k ≥ stride] and [out]")
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
                        BLAS.sgemm(
                            .transposed, .none, m: rows, n: length, k: inChannels, a: w.baseAddress!, lda: rows,
                            b: input.baseAddress!, ldb: length, c: col.baseAddress!, ldc: length)
                    }
                }
            }
        }
        let outLength = length * stride, overlap = overlap
        var y = [Float](repeating: 0, count: outChannels * outLength)
        // Per channel: the carried overlap, plus each frame's kernel-long contribution, then bias on what is final.
        var accumulator = [Float](repeating: 0, count: outLength + overlap)
        accumulator.withUnsafeMutableBufferPointer { acc in
            columns.withUnsafeBufferPointer { col in
                state.withUnsafeMutableBufferPointer { state in
                    y.withUnsafeMutableBufferPointer { y in
                        for o in 0..<outChannels {
                            acc.update(repeating: 0)
                            if overlap > 0 { acc.baseAddress!.update(from: state.baseAddress! + o * overlap, count: overlap) }
                            for j in 0..<kernel {
                                let row = col.baseAddress! + (o * kernel + j) * length
                                for t in 0..<length { acc[t * stride + j] += row[t] }
                            }
                            let out = y.baseAddress! + o * outLength
                            for i in 0..<outLength { out[i] = acc[i] + bias[o] }
                            if overlap > 0 { (state.baseAddress! + o * overlap).update(from: acc.baseAddress! + outLength, count: overlap) }
                        }
                    }
                }
            }
        }
        return y
    }
}
