import SluiceNN

/// A channel-independent Mamba forecaster (`Training/series/models.py` `MambaForecaster`): instance normalisation
/// of the window, a 1 → d_model embedding, residual Mamba blocks, a final RMSNorm, and a linear head on the last
/// row. Batch mode only: its state depends on the whole window, so it does not slide as the S4D forecaster's does.
public struct MambaForecaster: WindowForecasting {
    public let lookback: Int, horizon: Int
    public let epsilon: Double
    let embed: Linear
    let blocks: [MambaBlock]
    let finalNorm: RMSNorm
    let head: Linear

    public init(_ weights: TensorLookup, lookback: Int, horizon: Int, epsilon: Double = 1e-5) throws {
        self.lookback = lookback
        self.horizon = horizon
        self.epsilon = epsilon
        let model = try weights.shape("embed.weight")[0]
        embed = Linear(weight: .float32(try weights("embed.weight", model, 1)), bias: try weights("embed.bias", model))
        var blocks = [MambaBlock]()
        while weights.tensors["norms.\(blocks.count).weight"] != nil {
            let index = blocks.count
            blocks.append(
                MambaBlock(
                    norm: RMSNorm(weight: try weights("norms.\(index).weight", model).values),
                    mixer: try MambaMixer(weights.child("mixers.\(index)"))))
        }
        self.blocks = blocks
        finalNorm = RMSNorm(weight: try weights("norm_f.weight", model).values)
        head = Linear(weight: .float32(try weights("head.weight", horizon, model)), bias: try weights("head.bias", horizon))
    }

    public func forecast(windows: [Float], count: Int) -> [Float] {
        var normalised = windows
        let norm = InstanceNorm(normalising: &normalised, count: count, length: lookback, epsilon: epsilon)
        let width = embed.outputs
        var last = [Float]()
        last.reserveCapacity(count * width)
        for w in 0..<count {
            var h = embed(Array(normalised[(w * lookback)..<((w + 1) * lookback)]), rows: lookback)  // [L, d_model]
            for block in blocks { h = block(h, length: lookback) }
            last += h[((lookback - 1) * width)...]
        }
        var y = head(finalNorm(last), rows: count)
        norm.restore(&y, horizon: horizon)
        return y
    }
}
