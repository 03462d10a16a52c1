import SluiceNN

/// Grouped residual vector quantization (HiFi-Codec): the latent's D values split into G groups of D/G; each
/// group is quantized by L residual levels, each a codebook of K vectors. Codes per frame are level-major:
/// [l0g0, l0g1, …, l1g0, …].
public struct GRVQ: Sendable {
    public let groups: Int
    public let levels: Int
    public let codebookSize: Int
    /// Values per group vector.
    public let groupDim: Int
    /// [levels, groups, codebookSize, groupDim]
    let codebooks: [Float]
    /// ‖c‖² per code: [levels, groups, codebookSize]
    let norms: [Float]

    /// codebooks: a [levels, groups, codebookSize, groupDim] tensor.
    public init(codebooks tensor: Tensor) throws {
        guard tensor.shape.count == 4 else { throw ModelFileError("codebooks \(tensor.shape): expected [levels, groups, size, dim]") }
        levels = tensor.shape[0]
        groups = tensor.shape[1]
        codebookSize = tensor.shape[2]
        groupDim = tensor.shape[3]
        codebooks = tensor.values
        let d = groupDim
        norms = (0..<(levels * groups * codebookSize)).map { code in
            (0..<d).reduce(Float(0)) { sum, i in sum + tensor.values[code * d + i] * tensor.values[code * d + i] }
        }
    }

    public var codesPerFrame: Int { levels * groups }
    var latentDim: Int { groups * groupDim }

    /// Offset of code `code` of codebook (level, group) in `codebooks`.
    private func vector(_ level: Int, _ group: Int, _ code: Int) -> Int {
        ((level * groups + group) * codebookSize + code) * groupDim
    }

    /// latent [frames × D] → codes [frames × levels·groups]; the nearest code minimizes ‖c‖² − 2x·c (one GEMM per
    /// codebook), ties going to the lowest index as PyTorch's argmin does.
    public func encode(_ latent: [Float], frames: Int) -> [Int32] {
        let D = latentDim, K = codebookSize
        var residual = latent
        var codes = [Int32](repeating: 0, count: frames * codesPerFrame)
        var scores = [Float](repeating: 0, count: frames * K)
        for level in 0..<levels {
            for group in 0..<groups {
                residual.withUnsafeBufferPointer { x in
                    codebooks.withUnsafeBufferPointer { c in
                        scores.withUnsafeMutableBufferPointer { s in
                            // scores [frames × K] = x_g [frames × d, row stride D] · C^T
                            BLAS.sgemm(
                                .none, .transposed, m: frames, n: K, k: groupDim,
                                a: x.baseAddress! + group * groupDim, lda: D,
                                b: c.baseAddress! + vector(level, group, 0), ldb: groupDim,
                                c: s.baseAddress!, ldc: K)
                        }
                    }
                }
                let normBase = (level * groups + group) * K
                for t in 0..<frames {
                    var best = 0
                    var bestDistance = Float.infinity
                    for k in 0..<K {
                        let distance = norms[normBase + k] - 2 * scores[t * K + k]
                        if distance < bestDistance {
                            bestDistance = distance
                            best = k
                        }
                    }
                    codes[t * codesPerFrame + level * groups + group] = Int32(best)
                    let base = vector(level, group, best)
                    for i in 0..<groupDim { residual[t * D + group * groupDim + i] -= codebooks[base + i] }
                }
            }
        }
        return codes
    }

    /// codes [frames × levels·groups] (each below codebookSize) → latent [frames × D], the sum of the levels' vectors.
    public func decode(_ codes: [Int32], frames: Int) -> [Float] {
        let D = latentDim
        var latent = [Float](repeating: 0, count: frames * D)
        for t in 0..<frames {
            for level in 0..<levels {
                for group in 0..<groups {
                    let base = vector(level, group, Int(codes[t * codesPerFrame + level * groups + group]))
                    for i in 0..<groupDim { latent[t * D + group * groupDim + i] += codebooks[base + i] }
                }
            }
        }
        return latent
    }
}
