import COpenBLAS
import SluiceNN

/// Per-stream decoder state for one audio window: the cross-attention keys/values of the encoded
/// audio and the self-attention cache of the tokens decoded so far.
public struct DecoderState: Sendable {
    /// Per layer: the encoder output projected to keys and values, audio context × 2·width.
    var crossKeyValues: [[Float]]
    /// Per layer: cached self-attention keys and values, tokens × width each.
    var selfKeys: [[Float]]
    var selfValues: [[Float]]
    /// Tokens in the cache.
    public private(set) var length = 0
    let audioPositions: Int

    mutating func append(layer: Int, keys: [Float], values: [Float]) {
        selfKeys[layer] += keys
        selfValues[layer] += values
    }

    mutating func advance(by count: Int) { length += count }
}

extension WhisperModel {
    /// Starts decoding over `encoded` (audio context × width): projects the cross-attention keys and values once.
    public func startDecoding(encoded: [Float]) -> DecoderState {
        let positions = encoded.count / config.width
        let cross = (0..<config.decoderLayers).map { layer in
            Ops.linear(encoded, rows: positions, weight: tensor("decoder/layer_\(layer)/attention/linear_1/weight"),
                       bias: optionalTensor("decoder/layer_\(layer)/attention/linear_1/bias"))
        }
        return DecoderState(crossKeyValues: cross, selfKeys: Array(repeating: [], count: config.decoderLayers),
                            selfValues: Array(repeating: [], count: config.decoderLayers), audioPositions: positions)
    }

    /// Runs `tokens` through the decoder, extending `state`; returns the logits of the rows in `rows`
    /// (indices into `tokens`), each vocabulary-sized.
    public func decode(_ tokens: [Int], state: inout DecoderState, logitsFor rows: [Int]) -> [[Float]] {
        let width = config.width, count = tokens.count, start = state.length
        let embeddings = tensor("decoder/embeddings/weight").values
        let positions = tensor("decoder/position_encodings/encodings").values
        var hidden = [Float](repeating: 0, count: count * width)
        for (row, token) in tokens.enumerated() {
            for c in 0..<width {
                hidden[row * width + c] = embeddings[token * width + c] + positions[(start + row) * width + c]
            }
        }
        for layer in 0..<config.decoderLayers {
            let prefix = "decoder/layer_\(layer)"
            // Causal self-attention over the cache plus these tokens.
            let normed = Ops.layerNorm(hidden, width: width, gamma: tensor("\(prefix)/self_attention/layer_norm/gamma"),
                                       beta: tensor("\(prefix)/self_attention/layer_norm/beta"))
            let qkv = Ops.linear(normed, rows: count, weight: tensor("\(prefix)/self_attention/linear_0/weight"),
                                 bias: optionalTensor("\(prefix)/self_attention/linear_0/bias"))
            var keys = [Float](repeating: 0, count: count * width), values = keys
            for row in 0..<count {
                for c in 0..<width {
                    keys[row * width + c] = qkv[row * 3 * width + width + c]
                    values[row * width + c] = qkv[row * 3 * width + 2 * width + c]
                }
            }
            state.append(layer: layer, keys: keys, values: values)
            let selfAttended = qkv.withUnsafeBufferPointer { q in
                state.selfKeys[layer].withUnsafeBufferPointer { k in
                    state.selfValues[layer].withUnsafeBufferPointer { v in
                        Ops.attention(q: q.baseAddress!, qStride: 3 * width, queries: count, k: k.baseAddress!, v: v.baseAddress!,
                                      kvStride: width, keys: start + count, width: width, heads: config.decoderHeads,
                                      causalOffset: start)
                    }
                }
            }
            Ops.add(&hidden, Ops.linear(selfAttended, rows: count, weight: tensor("\(prefix)/self_attention/linear_1/weight"),
                                        bias: optionalTensor("\(prefix)/self_attention/linear_1/bias")))
            // Cross-attention over the encoded audio.
            let crossNormed = Ops.layerNorm(hidden, width: width, gamma: tensor("\(prefix)/attention/layer_norm/gamma"),
                                            beta: tensor("\(prefix)/attention/layer_norm/beta"))
            let query = Ops.linear(crossNormed, rows: count, weight: tensor("\(prefix)/attention/linear_0/weight"),
                                   bias: optionalTensor("\(prefix)/attention/linear_0/bias"))
            let crossAttended = query.withUnsafeBufferPointer { q in
                state.crossKeyValues[layer].withUnsafeBufferPointer { kv in
                    Ops.attention(q: q.baseAddress!, qStride: width, queries: count, k: kv.baseAddress!, v: kv.baseAddress! + width,
                                  kvStride: 2 * width, keys: state.audioPositions, width: width, heads: config.decoderHeads,
                                  causalOffset: nil)
                }
            }
            Ops.add(&hidden, Ops.linear(crossAttended, rows: count, weight: tensor("\(prefix)/attention/linear_2/weight"),
                                        bias: optionalTensor("\(prefix)/attention/linear_2/bias")))
            Ops.add(&hidden, feedForward(hidden, rows: count, prefix: prefix))
        }
        state.advance(by: count)
        let final = Ops.layerNorm(hidden, width: width, gamma: tensor("decoder/layer_norm/gamma"), beta: tensor("decoder/layer_norm/beta"))
        return rows.map { row in
            var logits = [Float](repeating: 0, count: config.vocabularySize)
            final.withUnsafeBufferPointer { x in
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(config.vocabularySize), Int32(width), 1, embeddings, Int32(width),
                            x.baseAddress! + row * width, 1, 0, &logits, 1)
            }
            return logits
        }
    }
}
