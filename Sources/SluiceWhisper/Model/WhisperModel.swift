import Foundation
import SluiceNN

/// Whisper's dimensions, read from the weights.
public struct WhisperConfig: Sendable {
    public var width: Int
    public var encoderHeads: Int
    public var decoderHeads: Int
    public var vocabularySize: Int
    public var mels: Int
    /// Encoder positions per 30 s window (1500) and decoder positions (448).
    public var audioContext: Int
    public var textContext: Int
}

/// One transformer block's attention part: pre-norm, projections.
struct SelfAttentionWeights: Sendable {
    let norm: LayerNorm
    /// Fused Q, K, V: 3·width × width.
    let queryKeyValue: Linear
    let output: Linear
}

/// One transformer block's MLP: pre-norm, width → 4·width → width with GELU.
struct FeedForwardWeights: Sendable {
    let norm: LayerNorm
    let inner: Linear
    let outer: Linear
}

struct EncoderLayerWeights: Sendable {
    let attention: SelfAttentionWeights
    let feedForward: FeedForwardWeights
}

struct DecoderLayerWeights: Sendable {
    let attention: SelfAttentionWeights
    let crossNorm: LayerNorm
    let crossQuery: Linear
    /// Fused K, V of the encoder output: 2·width × width.
    let crossKeyValue: Linear
    let crossOutput: Linear
    let feedForward: FeedForwardWeights
}

/// Loaded Whisper weights: immutable and shared by every stream that uses the model.
public final class WhisperModel: Sendable {
    public let config: WhisperConfig
    public let tokens: SpecialTokens
    public let tokenizer: Tokenizer
    /// The directory the model was loaded from.
    public let directory: String
    /// (decoder layer, head) pairs whose cross-attention follows the audio (config.json `alignment_heads`).
    public let alignmentHeads: [(layer: Int, head: Int)]
    /// Symbols that are never speech, suppressed by default (config.json `suppress_ids`).
    public let nonSpeechTokens: [Int]
    /// Forbidden as the first token: the space and end-of-text (config.json `suppress_ids_begin`).
    public let blankTokens: [Int]

    let conv1: (weight: Tensor, bias: Tensor)
    let conv2: (weight: Tensor, bias: Tensor)
    let encoderPositions: Tensor
    let encoderLayers: [EncoderLayerWeights]
    let encoderNorm: LayerNorm
    /// vocabulary × width; also the output projection.
    let embeddings: WeightMatrix
    let decoderPositions: Tensor
    let decoderLayers: [DecoderLayerWeights]
    let decoderNorm: LayerNorm

    /// The token of a language code (`<|en|>`), on multilingual models.
    public func languageToken(_ code: String) -> Int? {
        guard tokens.isMultilingual, let token = tokenizer.token(for: "<|\(code)|>"), token > tokens.startOfTranscript else { return nil }
        return token
    }

    /// Loads a CTranslate2 Whisper directory (model.bin, config.json, tokenizer.json).
    public init(directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        for file in ["model.bin", "config.json", "tokenizer.json"] {
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) else {
                throw ModelFileError("\(directory): not a CTranslate2 Whisper model (no \(file))")
            }
        }
        self.directory = directory
        let modelPath = folder.appendingPathComponent("model.bin").path
        // Matrices stay float16 when stored so: exact when widened, half the memory and the bandwidth.
        let model = try CTranslate2Model.load(path: modelPath) { name in
            name == "decoder/embeddings/weight" || (name.hasSuffix("/weight") && name.contains("/linear_"))
        }
        guard model.spec == "WhisperSpec" else {
            throw ModelFileError("\(modelPath): a \(model.spec) model, not WhisperSpec")
        }
        do {
            conv1 = (try model.tensor("encoder/conv1/weight"), try model.tensor("encoder/conv1/bias"))
            conv2 = (try model.tensor("encoder/conv2/weight"), try model.tensor("encoder/conv2/bias"))
            encoderPositions = try model.tensor("encoder/position_encodings/encodings")
            encoderNorm = try model.layerNorm("encoder/layer_norm")
            embeddings = try model.matrix("decoder/embeddings/weight")
            decoderPositions = try model.tensor("decoder/position_encodings/encodings")
            decoderNorm = try model.layerNorm("decoder/layer_norm")
            func layerCount(_ prefix: String) -> Int {
                var count = 0
                while model.tensors["\(prefix)/layer_\(count)/ffn/layer_norm/gamma"] != nil { count += 1 }
                return count
            }
            func selfAttention(_ scope: String) throws -> SelfAttentionWeights {
                SelfAttentionWeights(
                    norm: try model.layerNorm("\(scope)/layer_norm"), queryKeyValue: try model.linear("\(scope)/linear_0"),
                    output: try model.linear("\(scope)/linear_1"))
            }
            func feedForward(_ scope: String) throws -> FeedForwardWeights {
                FeedForwardWeights(
                    norm: try model.layerNorm("\(scope)/layer_norm"), inner: try model.linear("\(scope)/linear_0"),
                    outer: try model.linear("\(scope)/linear_1"))
            }
            encoderLayers = try (0..<layerCount("encoder")).map { layer in
                let scope = "encoder/layer_\(layer)"
                return EncoderLayerWeights(attention: try selfAttention("\(scope)/self_attention"), feedForward: try feedForward("\(scope)/ffn"))
            }
            decoderLayers = try (0..<layerCount("decoder")).map { layer in
                let scope = "decoder/layer_\(layer)"
                return DecoderLayerWeights(
                    attention: try selfAttention("\(scope)/self_attention"),
                    crossNorm: try model.layerNorm("\(scope)/attention/layer_norm"),
                    crossQuery: try model.linear("\(scope)/attention/linear_0"),
                    crossKeyValue: try model.linear("\(scope)/attention/linear_1"),
                    crossOutput: try model.linear("\(scope)/attention/linear_2"),
                    feedForward: try feedForward("\(scope)/ffn"))
            }
        } catch let error as ModelFileError {
            throw ModelFileError("\(directory)/\(error.description)")
        }
        let width = embeddings.shape[1]
        config = WhisperConfig(
            width: width,
            encoderHeads: model.integers["encoder/num_heads"]?.first ?? width / 64,
            decoderHeads: model.integers["decoder/num_heads"]?.first ?? width / 64,
            vocabularySize: embeddings.shape[0],
            mels: conv1.weight.shape[1],
            audioContext: encoderPositions.shape[0],
            textContext: decoderPositions.shape[0])
        guard !encoderLayers.isEmpty, !decoderLayers.isEmpty, width % config.encoderHeads == 0, width % config.decoderHeads == 0 else {
            throw ModelFileError("\(modelPath): no encoder or decoder layers")
        }
        tokenizer = try Tokenizer(path: folder.appendingPathComponent("tokenizer.json").path)
        tokens = SpecialTokens(vocabularySize: config.vocabularySize)
        let configPath = folder.appendingPathComponent("config.json").path
        guard let json = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath)))) as? [String: Any] else {
            throw ModelFileError("\(configPath): not a JSON object")
        }
        nonSpeechTokens = json["suppress_ids"] as? [Int] ?? []
        blankTokens = json["suppress_ids_begin"] as? [Int] ?? [220, tokens.endOfText]
        // Without a list, the reference uses every head of the upper half of the decoder.
        let layers = decoderLayers.count, heads = config.decoderHeads
        let defaultHeads = (layers / 2..<layers).flatMap { layer in (0..<heads).map { [layer, $0] } }
        alignmentHeads = (json["alignment_heads"] as? [[Int]] ?? defaultHeads).compactMap { $0.count == 2 ? (layer: $0[0], head: $0[1]) : nil }
            .filter { $0.layer < layers && $0.head < heads }
    }
}
