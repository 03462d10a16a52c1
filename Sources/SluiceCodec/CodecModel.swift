import Foundation
import SluiceNN

/// A loaded codec: encoder, GRVQ and decoder weights, immutable and shared by any number of streams.
///
/// The math is causal and pure: `encode` and `decode` advance a per-stream state, so feeding a signal in pieces
/// (on hop boundaries) gives the codes and samples that feeding it whole does. The decoder is the `transposed`
/// design (samples final as soon as their frame arrives) or `vocos` (one hop behind until `finish`).
public final class CodecModel: Sendable {
    public let config: CodecConfig
    public let quantizer: GRVQ
    let encoder: CausalStack
    let decoder: Decoder

    /// The decoder network, of the kind codec.json names.
    enum Decoder: Sendable {
        case transposed(CausalStack)
        case vocos(VocosDecoder)
    }

    /// Loads `codec.json` and `codec.safetensors` from `directory`.
    public convenience init(directory: String) throws {
        let configPath = URL(fileURLWithPath: directory).appendingPathComponent("codec.json").path
        let config: CodecConfig
        do {
            config = try JSONDecoder().decode(CodecConfig.self, from: Data(contentsOf: URL(fileURLWithPath: configPath)))
        } catch {
            throw ModelFileError("\(configPath): cannot read the codec config: \(error)")
        }
        let weightsPath = URL(fileURLWithPath: directory).appendingPathComponent("codec.safetensors").path
        try self.init(config: config, tensors: try Safetensors.load(path: weightsPath), name: weightsPath)
    }

    /// The model shipped with Sluice (`Sources/SluiceCodec/Model`).
    public static func bundled() throws -> CodecModel {
        guard let directory = Bundle.module.url(forResource: "Model", withExtension: nil) else {
            throw ModelFileError("the bundled codec model (resource folder Model) is missing from this build")
        }
        return try CodecModel(directory: directory.path)
    }

    /// Loads `model`: `bundled`, or a directory holding codec.json and codec.safetensors.
    public static func load(_ model: String) throws -> CodecModel {
        model == "bundled" ? try bundled() : try CodecModel(directory: model)
    }

    /// Builds the model from named tensors (PyTorch state-dict names); `name` goes in errors.
    public init(config: CodecConfig, tensors: [String: Tensor], name: String) throws {
        func tensor(_ key: String) throws -> Tensor {
            guard let value = tensors[key] else { throw ModelFileError("\(name): tensor '\(key)' is missing") }
            return value
        }
        func conv(_ prefix: String, stride: Int = 1, dilation: Int = 1) throws -> CausalConv1d {
            try CausalConv1d(weight: tensor("\(prefix).weight"), bias: tensor("\(prefix).bias"), stride: stride, dilation: dilation)
        }
        func residual(_ prefix: String) throws -> CausalStack.Layer {
            .residual(try conv("\(prefix).conv1", dilation: config.dilation), try conv("\(prefix).conv2"))
        }
        var encoderLayers: [CausalStack.Layer] = [.conv(try conv("encoder.conv_in"))]
        for (index, stride) in config.strides.enumerated() {
            encoderLayers += [
                try residual("encoder.blocks.\(index).res"), .elu,
                .conv(try conv("encoder.blocks.\(index).down", stride: stride)),
            ]
        }
        encoderLayers += [.elu, .conv(try conv("encoder.conv_out"))]

        let decoder: Decoder
        switch config.decoder {
        case .transposed:
            var decoderLayers: [CausalStack.Layer] = [.conv(try conv("decoder.conv_in"))]
            for (index, stride) in config.strides.reversed().enumerated() {
                let up = try CausalConvTranspose1d(
                    weight: tensor("decoder.blocks.\(index).up.weight"),
                    bias: tensor("decoder.blocks.\(index).up.bias"), stride: stride)
                decoderLayers += [.elu, .convTranspose(up), try residual("decoder.blocks.\(index).res")]
            }
            decoderLayers += [.elu, .conv(try conv("decoder.conv_out"))]
            decoder = .transposed(CausalStack(layers: decoderLayers))
        case .vocos:
            decoder = .vocos(try VocosDecoder(config: config, name: name, tensor: tensor))
        }

        let quantizer = try GRVQ(codebooks: tensor("quantizer.codebooks"))
        guard quantizer.levels == config.levels, quantizer.groups == config.groups,
            quantizer.codebookSize == config.codebookSize, quantizer.latentDim == config.latentDim
        else {
            throw ModelFileError(
                "\(name): codebooks [\(quantizer.levels), \(quantizer.groups), \(quantizer.codebookSize), \(quantizer.groupDim)] do not match the config"
            )
        }
        self.config = config
        self.quantizer = quantizer
        encoder = CausalStack(layers: encoderLayers)
        self.decoder = decoder
    }

    /// Per-stream encoder state (conv histories), zero at the start of a stream.
    public struct EncoderState: Sendable { var convs: [[Float]] }
    /// Per-stream decoder state: conv histories and transposed-conv overlaps (`transposed`), or conv histories and
    /// the overlap-add's pending half frame (`vocos`).
    public struct DecoderState: Sendable {
        var convs: [[Float]] = []
        var vocos: VocosDecoder.State?
    }

    public func encoderState() -> EncoderState { EncoderState(convs: encoder.initialState()) }
    public func decoderState() -> DecoderState {
        switch decoder {
        case .transposed(let stack): DecoderState(convs: stack.initialState())
        case .vocos(let vocos): DecoderState(vocos: vocos.initialState())
        }
    }

    /// samples [n] (n a multiple of the hop) → latent [n / hop × D], frame-major.
    public func latent(_ samples: [Float], state: inout EncoderState) -> [Float] {
        precondition(samples.count % config.hop == 0, "encode takes whole frames of \(config.hop) samples")
        let (values, frames) = encoder(samples, length: samples.count, state: &state.convs)
        return transpose(values, rows: config.latentDim, columns: frames)
    }

    /// samples [n] (n a multiple of the hop) → codes [n / hop × codesPerFrame].
    public func encode(_ samples: [Float], state: inout EncoderState) -> [Int32] {
        quantizer.encode(latent(samples, state: &state), frames: samples.count / config.hop)
    }

    /// codes [frames × codesPerFrame] (each below codebookSize) → the samples now final: [frames × hop] for the
    /// transposed decoder; for vocos each frame completes the hop before it, so the first call gives one hop fewer
    /// and `finish` gives the last hop.
    public func decode(_ codes: [Int32], state: inout DecoderState) -> [Float] {
        let frames = codes.count / config.codesPerFrame
        let latent = quantizer.decode(codes, frames: frames)
        switch decoder {
        case .transposed(let stack):
            return stack(transpose(latent, rows: frames, columns: config.latentDim), length: frames, state: &state.convs).values
        case .vocos(let vocos):
            return vocos(latent, frames: frames, state: &state.vocos!)
        }
    }

    /// Ends a decoded stream: the samples still held back (the last hop for vocos, none for transposed).
    public func finish(state: inout DecoderState) -> [Float] {
        switch decoder {
        case .transposed: return []
        case .vocos(let vocos): return vocos.finish(state: &state.vocos!)
        }
    }

    /// A whole signal → codes, zero-padded at the end to whole frames.
    public func encode(_ samples: [Float]) -> [Int32] {
        var state = encoderState()
        let padded = (samples.count + config.hop - 1) / config.hop * config.hop
        return encode(samples + [Float](repeating: 0, count: padded - samples.count), state: &state)
    }

    /// Whole code frames → samples [frames × hop], as the model's batch forward gives them.
    public func decode(_ codes: [Int32]) -> [Float] {
        var state = decoderState()
        return decode(codes, state: &state) + finish(state: &state)
    }

    private func transpose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        for r in 0..<rows {
            for c in 0..<columns { out[c * rows + r] = x[r * columns + c] }
        }
        return out
    }
}
