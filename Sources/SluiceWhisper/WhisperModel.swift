import Foundation
import SluiceNN

/// Whisper's dimensions, read from the weights.
public struct WhisperConfig: Sendable {
    public var width: Int
    public var encoderHeads: Int
    public var decoderHeads: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var vocabularySize: Int
    public var mels: Int
    /// Encoder positions per 30 s window (1500) and decoder positions (448).
    public var audioContext: Int
    public var textContext: Int
}

/// Loaded Whisper weights: immutable and shared by every stream that uses the model.
public final class WhisperModel: Sendable {
    public let config: WhisperConfig
    public let tokens: SpecialTokens
    public let tokenizer: Tokenizer
    /// Token ids never sampled (`suppress_ids` of config.json).
    public let suppressedTokens: [Int]
    /// Suppressed at the first sampled position (`suppress_ids_begin`).
    public let suppressedAtBegin: [Int]
    let weights: [String: Tensor]

    /// Loads a CTranslate2 Whisper directory (model.bin, config.json, tokenizer.json).
    public init(directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        for file in ["model.bin", "config.json", "tokenizer.json"] {
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) else {
                throw ModelFileError("\(directory): not a CTranslate2 Whisper model (no \(file))")
            }
        }
        let model = try CTranslate2Model.load(path: folder.appendingPathComponent("model.bin").path)
        guard model.spec == "WhisperSpec" else {
            throw ModelFileError("\(directory)/model.bin: a \(model.spec) model, not WhisperSpec")
        }
        weights = model.tensors
        func tensor(_ name: String) throws -> Tensor {
            guard let value = model.tensors[name] else { throw ModelFileError("\(directory)/model.bin: missing variable '\(name)'") }
            return value
        }
        let embeddings = try tensor("decoder/embeddings/weight")
        let encoderPositions = try tensor("encoder/position_encodings/encodings")
        let decoderPositions = try tensor("decoder/position_encodings/encodings")
        let conv1 = try tensor("encoder/conv1/weight")
        let count = { (prefix: String) in model.tensors.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix("/ffn/linear_0/weight") }.count }
        config = WhisperConfig(
            width: embeddings.shape[1],
            encoderHeads: model.integers["encoder/num_heads"]?.first ?? embeddings.shape[1] / 64,
            decoderHeads: model.integers["decoder/num_heads"]?.first ?? embeddings.shape[1] / 64,
            encoderLayers: count("encoder/layer_"),
            decoderLayers: count("decoder/layer_"),
            vocabularySize: embeddings.shape[0],
            mels: conv1.shape[1],
            audioContext: encoderPositions.shape[0],
            textContext: decoderPositions.shape[0])
        tokenizer = try Tokenizer(path: folder.appendingPathComponent("tokenizer.json").path)
        tokens = SpecialTokens(vocabularySize: config.vocabularySize)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as? [String: Any] ?? [:]
        suppressedTokens = json["suppress_ids"] as? [Int] ?? []
        suppressedAtBegin = json["suppress_ids_begin"] as? [Int] ?? [220, tokens.endOfText]
    }

    func tensor(_ name: String) -> Tensor {
        guard let value = weights[name] else { preconditionFailure("missing weight \(name)") }
        return value
    }

    func optionalTensor(_ name: String) -> Tensor? { weights[name] }
}

/// Special token ids, which depend on whether the vocabulary is English-only (51864) or multilingual.
public struct SpecialTokens: Sendable {
    public let endOfText: Int
    public let startOfTranscript: Int
    public let translate: Int
    public let transcribe: Int
    public let startOfPrevious: Int
    public let noSpeech: Int
    public let noTimestamps: Int
    /// `<|0.00|>`; timestamp k is `timestampBegin + k`, 20 ms apart.
    public let timestampBegin: Int
    public let isMultilingual: Bool

    public init(vocabularySize: Int) {
        isMultilingual = vocabularySize >= 51865
        let shift = isMultilingual ? 1 : 0
        endOfText = 50256 + shift
        startOfTranscript = 50257 + shift
        translate = 50357 + shift
        transcribe = 50358 + shift
        startOfPrevious = 50360 + shift
        noSpeech = 50361 + shift
        noTimestamps = 50362 + shift
        timestampBegin = 50363 + shift
    }

    /// Whether `token` is a timestamp.
    public func isTimestamp(_ token: Int) -> Bool { token >= timestampBegin }
}
