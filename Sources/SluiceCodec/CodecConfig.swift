/// The shape of a codec model, as `codec.json` records it next to its weights.
public struct CodecConfig: Codable, Sendable, Equatable {
    /// Which decoder turns the quantized latent back into samples.
    public enum DecoderKind: String, Codable, Sendable {
        /// The encoder's mirror image in causal transposed convs: 20 ms of algorithmic latency.
        case transposed
        /// Causal ConvNeXt blocks at the frame rate and an inverse-STFT head (Vocos): 40 ms.
        case vocos
    }

    public var sampleRate: Int
    /// Encoder channels after the input conv; each strided block doubles them.
    public var channels: Int
    /// Encoder strides, first to last; the transposed decoder runs them in reverse.
    public var strides: [Int]
    /// Dilation of the residual units' k3 convs.
    public var dilation: Int
    /// Latent width D, split into `groups` groups of D / groups.
    public var latentDim: Int
    public var groups: Int
    /// Residual quantizer levels per group.
    public var levels: Int
    public var codebookSize: Int
    /// `transposed` when codec.json names none (models from before the Vocos decoder).
    public var decoder: DecoderKind
    /// Vocos only: channels of the ConvNeXt blocks, their MLP's hidden width, how many, and the depthwise kernel.
    public var decoderDim: Int?
    public var decoderHidden: Int?
    public var decoderBlocks: Int?
    public var decoderKernel: Int?
    /// Vocos only: the LayerNorms' epsilon (1e-6 when absent, as the recipe's model.py has it).
    public var decoderNormEps: Float?
    /// Vocos only: the inverse-STFT size; the framing needs 2 × hop (the value when absent).
    public var istftNFFT: Int?

    enum CodingKeys: String, CodingKey {
        case sampleRate = "sample_rate"
        case channels, strides, dilation
        case latentDim = "latent_dim"
        case groups, levels
        case codebookSize = "codebook_size"
        case decoder
        case decoderDim = "decoder_dim"
        case decoderHidden = "decoder_hidden"
        case decoderBlocks = "decoder_blocks"
        case decoderKernel = "decoder_kernel"
        case decoderNormEps = "decoder_norm_eps"
        case istftNFFT = "istft_n_fft"
    }

    public init(from coder: any Decoder) throws {
        let c = try coder.container(keyedBy: CodingKeys.self)
        sampleRate = try c.decode(Int.self, forKey: .sampleRate)
        channels = try c.decode(Int.self, forKey: .channels)
        strides = try c.decode([Int].self, forKey: .strides)
        dilation = try c.decode(Int.self, forKey: .dilation)
        latentDim = try c.decode(Int.self, forKey: .latentDim)
        groups = try c.decode(Int.self, forKey: .groups)
        levels = try c.decode(Int.self, forKey: .levels)
        codebookSize = try c.decode(Int.self, forKey: .codebookSize)
        decoder = try c.decodeIfPresent(DecoderKind.self, forKey: .decoder) ?? .transposed
        decoderDim = try c.decodeIfPresent(Int.self, forKey: .decoderDim)
        decoderHidden = try c.decodeIfPresent(Int.self, forKey: .decoderHidden)
        decoderBlocks = try c.decodeIfPresent(Int.self, forKey: .decoderBlocks)
        decoderKernel = try c.decodeIfPresent(Int.self, forKey: .decoderKernel)
        decoderNormEps = try c.decodeIfPresent(Float.self, forKey: .decoderNormEps)
        istftNFFT = try c.decodeIfPresent(Int.self, forKey: .istftNFFT)
    }

    /// Samples per code frame (the product of the strides).
    public var hop: Int { strides.reduce(1, *) }
    /// Codes per frame: groups × levels, ordered level-major (l0g0, l0g1, l1g0, l1g1).
    public var codesPerFrame: Int { groups * levels }
    /// Code frames per second.
    public var framesPerSecond: Double { Double(sampleRate) / Double(hop) }

    /// Samples from an input sample's arrival to the moment its decoded sample can be final, not counting
    /// computation: one hop for the transposed decoder (the frame must be complete), two for Vocos (the
    /// frame's second half waits for the next frame's overlapping first half).
    public var algorithmicLatency: Int { decoder == .vocos ? 2 * hop : hop }
}
