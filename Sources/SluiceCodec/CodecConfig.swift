/// The shape of a codec model, as `codec.json` records it next to its weights.
public struct CodecConfig: Codable, Sendable, Equatable {
    public var sampleRate: Int
    /// Encoder channels after the input conv; each strided block doubles them.
    public var channels: Int
    /// Encoder strides, first to last; the decoder runs them in reverse.
    public var strides: [Int]
    /// Dilation of the residual units' k3 convs.
    public var dilation: Int
    /// Latent width D, split into `groups` groups of D / groups.
    public var latentDim: Int
    public var groups: Int
    /// Residual quantizer levels per group.
    public var levels: Int
    public var codebookSize: Int

    enum CodingKeys: String, CodingKey {
        case sampleRate = "sample_rate"
        case channels, strides, dilation
        case latentDim = "latent_dim"
        case groups, levels
        case codebookSize = "codebook_size"
    }

    /// Samples per code frame (the product of the strides).
    public var hop: Int { strides.reduce(1, *) }
    /// Codes per frame: groups × levels, ordered level-major (l0g0, l0g1, l1g0, l1g1).
    public var codesPerFrame: Int { groups * levels }
    /// Code frames per second.
    public var framesPerSecond: Double { Double(sampleRate) / Double(hop) }
}
