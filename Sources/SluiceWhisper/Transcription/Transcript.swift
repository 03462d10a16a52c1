/// One word with its time span (seconds from the start of the audio) and probability.
public struct TranscriptWord: Sendable, Equatable, Codable {
    public var word: String
    public var start: Double
    public var end: Double
    public var probability: Double

    public init(word: String, start: Double, end: Double, probability: Double) {
        self.word = word
        self.start = start
        self.end = end
        self.probability = probability
    }
}

/// One decoded segment, with the figures the reference reports for it (coded with verbose_json's keys).
public struct TranscriptSegment: Sendable, Equatable, Codable {
    public var id: Int
    /// The window start (in mel frames, 10 ms each) this segment was decoded from.
    public var seek: Int
    public var start: Double
    public var end: Double
    public var text: String
    /// The segment's tokens, timestamps included.
    public var tokens: [Int]
    public var temperature: Double
    public var averageLogProbability: Double
    public var compressionRatio: Double
    public var noSpeechProbability: Double
    /// Present when word timestamps were asked for.
    public var words: [TranscriptWord]?

    public init(
        id: Int, seek: Int, start: Double, end: Double, text: String, tokens: [Int], temperature: Double,
        averageLogProbability: Double, compressionRatio: Double, noSpeechProbability: Double,
        words: [TranscriptWord]? = nil
    ) {
        self.id = id
        self.seek = seek
        self.start = start
        self.end = end
        self.text = text
        self.tokens = tokens
        self.temperature = temperature
        self.averageLogProbability = averageLogProbability
        self.compressionRatio = compressionRatio
        self.noSpeechProbability = noSpeechProbability
        self.words = words
    }

    private enum CodingKeys: String, CodingKey {
        case id, seek, start, end, text, tokens, temperature, words
        case averageLogProbability = "avg_logprob"
        case compressionRatio = "compression_ratio"
        case noSpeechProbability = "no_speech_prob"
    }
}

/// A whole transcription of one input (coded as verbose_json is, `text` aside).
public struct Transcript: Sendable, Equatable, Codable {
    /// The language code (`en`, `de`, …).
    public var language: String
    /// `transcribe` or `translate`.
    public var task: String
    /// Seconds of audio.
    public var duration: Double
    public var segments: [TranscriptSegment]

    public init(language: String, task: String, duration: Double, segments: [TranscriptSegment]) {
        self.language = language
        self.task = task
        self.duration = duration
        self.segments = segments
    }

    /// The segments' text, concatenated as the reference does.
    public var text: String { segments.map(\.text).joined() }

    /// Adds an update's segments and takes its language (a transcription in progress, put together).
    public mutating func append(_ update: TranscriptionUpdate) {
        segments += update.segments
        if let decoded = update.language { language = decoded }
    }
}
