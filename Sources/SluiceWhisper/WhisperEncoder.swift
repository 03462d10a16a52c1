import SluiceNN

extension WhisperModel {
    /// Encodes one 30 s window of normalised log-mel features.
    /// - Parameter mel: mels × frames (80 × 3000), row-major.
    /// - Returns: audio context × width (1500 × 384 for tiny), row-major.
    public func encode(mel: [Float]) -> [Float] {
        let frames = mel.count / config.mels
        var (x, length) = Ops.conv1d(mel, channels: config.mels, length: frames,
                                     weight: tensor("encoder/conv1/weight"), bias: tensor("encoder/conv1/bias"), stride: 1)
        Ops.gelu(&x)
        (x, length) = Ops.conv1d(x, channels: config.width, length: length,
                                 weight: tensor("encoder/conv2/weight"), bias: tensor("encoder/conv2/bias"), stride: 2)
        Ops.gelu(&x)
        // channels × time → time × channels, plus positions.
        let width = config.width
        let positions = tensor("encoder/position_encodings/encodings").values
        var hidden = [Float](repeating: 0, count: length * width)
        for t in 0..<length {
            for c in 0..<width { hidden[t * width + c] = x[c * length + t] + positions[t * width + c] }
        }
        for layer in 0..<config.encoderLayers {
            let prefix = "encoder/layer_\(layer)"
            let normed = Ops.layerNorm(hidden, width: width, gamma: tensor("\(prefix)/self_attention/layer_norm/gamma"),
                                       beta: tensor("\(prefix)/self_attention/layer_norm/beta"))
            let qkv = Ops.linear(normed, rows: length, weight: tensor("\(prefix)/self_attention/linear_0/weight"),
                                 bias: optionalTensor("\(prefix)/self_attention/linear_0/bias"))
            let attended = qkv.withUnsafeBufferPointer { fused in
                Ops.attention(q: fused.baseAddress!, qStride: 3 * width, queries: length,
                              k: fused.baseAddress! + width, v: fused.baseAddress! + 2 * width, kvStride: 3 * width,
                              keys: length, width: width, heads: config.encoderHeads, causalOffset: nil)
            }
            Ops.add(&hidden, Ops.linear(attended, rows: length, weight: tensor("\(prefix)/self_attention/linear_1/weight"),
                                        bias: optionalTensor("\(prefix)/self_attention/linear_1/bias")))
            Ops.add(&hidden, feedForward(hidden, rows: length, prefix: prefix))
        }
        return Ops.layerNorm(hidden, width: width, gamma: tensor("encoder/layer_norm/gamma"), beta: tensor("encoder/layer_norm/beta"))
    }

    /// The pre-norm MLP block of a layer: linear, GELU, linear.
    func feedForward(_ hidden: [Float], rows: Int, prefix: String) -> [Float] {
        let normed = Ops.layerNorm(hidden, width: config.width, gamma: tensor("\(prefix)/ffn/layer_norm/gamma"),
                                   beta: tensor("\(prefix)/ffn/layer_norm/beta"))
        var inner = Ops.linear(normed, rows: rows, weight: tensor("\(prefix)/ffn/linear_0/weight"),
                               bias: optionalTensor("\(prefix)/ffn/linear_0/bias"))
        Ops.gelu(&inner)
        return Ops.linear(inner, rows: rows, weight: tensor("\(prefix)/ffn/linear_1/weight"),
                          bias: optionalTensor("\(prefix)/ffn/linear_1/bias"))
    }
}
