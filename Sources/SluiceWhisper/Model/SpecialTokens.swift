/// Whisper's special token ids, which depend on whether the vocabulary is English-only (51864) or
/// multilingual (51865 and up).
public struct SpecialTokens: Sendable {
    public let endOfText: Int
    public let startOfTranscript: Int
    public let translate: Int
    public let transcribe: Int
    public let startOfLM: Int
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
        startOfLM = 50359 + shift
        startOfPrevious = 50360 + shift
        noSpeech = 50361 + shift
        noTimestamps = 50362 + shift
        timestampBegin = 50363 + shift
    }

    /// Whether `token` is a timestamp.
    public func isTimestamp(_ token: Int) -> Bool { token >= timestampBegin }

    /// Seconds per timestamp step.
    public static let timePrecision = 0.02
}
