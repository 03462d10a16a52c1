import SluiceNN

extension WhisperModel {
    /// Mel frames per encoder window (30 s).
    public var windowFrames: Int { config.audioContext * 2 }

    /// Mel frames to encode for `audioSeconds` of audio padded with silence: at least `paddingSeconds` after
    /// the audio and at least `minimumSeconds` in all, an even number, never more than a window.
    public func paddedWindowFrames(audioSeconds: Double, minimumSeconds: Double, paddingSeconds: Double) -> Int {
        min(windowFrames, Int(max(minimumSeconds, audioSeconds + paddingSeconds) * 50) * 2)
    }

    /// Encodes a window of normalised log-mel features: 30 s as the model was trained (3000 frames), or
    /// a shorter even number of frames whose positions are the first of the window's (the cost follows
    /// the audio, at some cost in accuracy: the model never saw short windows).
    /// - Parameter mel: mels × frames, row-major.
    /// - Returns: frames / 2 × width (1500 × 384 for tiny's full window), row-major.
    public func encode(mel: [Float]) -> [Float] {
        let frames = mel.count / config.mels
        precondition(
            frames <= windowFrames && frames % 2 == 0 && frames > 0, "the encoder takes up to \(windowFrames) frames, an even number; got \(frames)")
        var (x, length) = Ops.conv1d(mel, channels: config.mels, length: frames, weight: conv1.weight, bias: conv1.bias, stride: 1)
        Ops.gelu(&x)
        (x, length) = Ops.conv1d(x, channels: config.width, length: length, weight: conv2.weight, bias: conv2.bias, stride: 2)
        Ops.gelu(&x)
        // channels × time → time × channels, plus positions.
        let width = config.width
        var hidden = [Float](repeating: 0, count: length * width)
        encoderPositions.values.withUnsafeBufferPointer { positions in
            for t in 0..<length {
                for c in 0..<width { hidden[t * width + c] = x[c * length + t] + positions[t * width + c] }
            }
        }
        for layer in encoderLayers {
            let qkv = layer.attention.queryKeyValue(layer.attention.norm(hidden), rows: length)
            let attended = qkv.withUnsafeBufferPointer { fused in
                Ops.attention(
                    q: fused.baseAddress!, qStride: 3 * width, queries: length,
                    k: fused.baseAddress! + width, v: fused.baseAddress! + 2 * width, kvStride: 3 * width,
                    keys: length, width: width, heads: config.encoderHeads, causalOffset: nil)
            }
            Ops.add(&hidden, layer.attention.output(attended, rows: length))
            Ops.add(&hidden, layer.feedForward(hidden, rows: length))
        }
        return encoderNorm(hidden)
    }
}

extension FeedForwardWeights {
    /// The pre-norm MLP: norm, linear, GELU, linear (its output is added to the residual by the caller).
    func callAsFunction(_ hidden: [Float], rows: Int) -> [Float] {
        var x = inner(norm(hidden), rows: rows)
        Ops.gelu(&x)
        return outer(x, rows: rows)
    }
}
