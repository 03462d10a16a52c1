import SluiceNN

/// The Vocos-style decoder (Training/codec/model.py `VocosDecoder`): a causal conv k7 from the latent to `dim`
/// channels and LayerNorm, causal ConvNeXt blocks, LayerNorm, and the inverse-STFT head, all at the frame rate as
/// matrix products over [frames × channels]; overlap-add turns the head's frames into samples.
///
/// Pure math: the per-stream histories and the overlap wait in a `State` that the caller owns.
struct VocosDecoder: Sendable {
    let input: FrameConv
    let inputNorm: (gamma: Tensor, beta: Tensor)
    let blocks: [ConvNeXtBlock]
    let outputNorm: (gamma: Tensor, beta: Tensor)
    let head: ISTFTHead
    let hop: Int
    /// The LayerNorms' epsilon (nn.LayerNorm(dim, eps=1e-6) in the recipe).
    let epsilon: Float

    var dim: Int { input.outChannels }

    /// Per-stream state: the conv histories and the overlap-add's pending half frame.
    struct State: Sendable {
        var input: [Float]
        var blocks: [[Float]]
        var overlap: OverlapAdd
    }

    /// Zeroed state for a new stream.
    func initialState() -> State {
        State(input: input.initialState(), blocks: blocks.map { $0.initialState() }, overlap: OverlapAdd(hop: hop))
    }

    /// Builds the decoder from the recipe's state-dict names (`decoder.` prefix), checking every shape; `name`
    /// (the weights file) goes in errors.
    init(config: CodecConfig, name: String, tensor: (String) throws -> Tensor) throws {
        guard let dim = config.decoderDim, let hidden = config.decoderHidden, let count = config.decoderBlocks,
            let kernel = config.decoderKernel
        else {
            throw ModelFileError("\(name): a vocos decoder needs decoder_dim, decoder_hidden, decoder_blocks and decoder_kernel in codec.json")
        }
        func shaped(_ key: String, _ shape: [Int]) throws -> Tensor {
            let value = try tensor("decoder.\(key)")
            guard value.shape == shape else {
                throw ModelFileError("\(name): tensor 'decoder.\(key)' has shape \(value.shape), the config implies \(shape)")
            }
            return value
        }
        func norm(_ key: String) throws -> (gamma: Tensor, beta: Tensor) {
            (try shaped("\(key).weight", [dim]), try shaped("\(key).bias", [dim]))
        }
        func linear(_ key: String, _ outputs: Int, _ inputs: Int) throws -> Linear {
            Linear(weight: .float32(try shaped("\(key).weight", [outputs, inputs])), bias: try shaped("\(key).bias", [outputs]))
        }
        hop = config.hop
        let epsilon = config.decoderNormEps ?? 1e-6
        self.epsilon = epsilon
        if let nFFT = config.istftNFFT, nFFT != 2 * hop {
            throw ModelFileError("\(name): istft_n_fft \(nFFT) is not 2 × hop (\(2 * hop)): the left-only framing needs 50% overlap")
        }
        // The input conv's kernel (7 in the recipe) is the tensor's own.
        let inputWeight = try tensor("decoder.conv_in.weight")
        guard inputWeight.shape.count == 3, inputWeight.shape[0] == dim, inputWeight.shape[1] == config.latentDim else {
            throw ModelFileError("\(name): tensor 'decoder.conv_in.weight' has shape \(inputWeight.shape), expected [\(dim), \(config.latentDim), k]")
        }
        input = try FrameConv(weight: inputWeight, bias: shaped("conv_in.bias", [dim]))
        inputNorm = try norm("norm_in")
        blocks = try (0..<count).map { index in
            let prefix = "blocks.\(index)"
            return ConvNeXtBlock(
                depthwise: try FrameDepthwiseConv(
                    weight: shaped("\(prefix).dwconv.weight", [dim, 1, kernel]), bias: shaped("\(prefix).dwconv.bias", [dim])),
                norm: try norm("\(prefix).norm"), expand: try linear("\(prefix).pw1", hidden, dim),
                project: try linear("\(prefix).pw2", dim, hidden), scale: try shaped("\(prefix).gamma", [dim]).values,
                epsilon: epsilon)
        }
        outputNorm = try norm("norm_out")
        head = try ISTFTHead(projection: linear("head.proj", 2 * hop + 2, dim), nFFT: 2 * hop)
    }

    /// latent [frames × latentDim] → the samples now final (see `OverlapAdd.push`); advances `state`.
    func callAsFunction(_ latent: [Float], frames: Int, state: inout State) -> [Float] {
        guard frames > 0 else { return [] }
        var x = input(latent, frames: frames, state: &state.input)
        x = Ops.layerNorm(x, width: dim, gamma: inputNorm.gamma, beta: inputNorm.beta, eps: epsilon)
        for (index, block) in blocks.enumerated() {
            x = block(x, frames: frames, state: &state.blocks[index])
        }
        x = Ops.layerNorm(x, width: dim, gamma: outputNorm.gamma, beta: outputNorm.beta, eps: epsilon)
        return state.overlap.push(head(x, frames: frames), count: frames)
    }

    /// Ends the stream: the last hop of samples, which no next frame will complete.
    func finish(state: inout State) -> [Float] { state.overlap.finish() }
}
