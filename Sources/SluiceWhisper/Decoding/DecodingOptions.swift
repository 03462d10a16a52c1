/// How Whisper decodes one window, with faster-whisper's defaults (which follow openai-whisper's CLI).
///
/// What spans windows (prompting with earlier text, word timestamps, the speech gate) is in
/// ``TranscriptionOptions``; a stream decides those itself, so none of them can be set and ignored.
public struct DecodingOptions: Sendable {
    /// `transcribe` or `translate` (to English).
    public enum Task: String, Sendable, CaseIterable { case transcribe, translate }

    public var task: Task = .transcribe
    /// A language code (`en`, `de`, …); nil detects it on multilingual models.
    public var language: String?
    /// Beam width at temperature 0; 1 is greedy search.
    public var beamSize = 5
    /// Beam search stops once round(beamSize × patience) hypotheses have finished.
    public var patience: Float = 1
    /// Finished hypotheses are ranked by score / length^lengthPenalty.
    public var lengthPenalty: Float = 1
    /// Tried in order until a result passes the checks below.
    public var temperatures: [Float] = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    /// Samples drawn at each temperature above 0; the best is kept.
    public var bestOf = 5
    /// A result whose gzip compression ratio is above this is too repetitive (retry hotter).
    public var compressionRatioThreshold: Double? = 2.4
    /// A result whose average log-probability is below this is too unsure (retry hotter).
    public var logProbThreshold: Double? = -1
    /// A window whose no-speech probability is above this (and whose log-probability is low) is silence.
    public var noSpeechThreshold: Double? = 0.6
    /// Forbid a blank or end-of-text as the first token.
    public var suppressBlank = true
    /// Token ids never sampled; nil uses the model's list of non-speech symbols.
    public var suppressTokens: [Int]?
    /// Decode text only, without timestamp tokens.
    public var withoutTimestamps = false
    /// The first timestamp may not be later than this (seconds).
    public var maxInitialTimestamp = 1.0
    /// Punctuation merged into the following word (word timestamps).
    public var prependPunctuations = "\"'“¿([{-"
    /// Punctuation merged into the preceding word (word timestamps).
    public var appendPunctuations = "\"'.。,，!！?？:：”)]}、"
    /// Seed of the sampler used at temperatures above 0.
    public var seed: UInt64 = 0

    public init() {}
}
