/// One event of a streaming recognizer: final text (never rewritten) or the current partial text, of a
/// transcription stream or of one lane of a translation stream.
public struct StreamEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case partial, final }
    /// A translation stream's lanes. `source`: the transcript in the spoken language; `target`: the translation.
    public enum Lane: String, Sendable, Codable { case source, target }

    public var kind: Kind
    /// Words with their stream times (seconds).
    public var words: [TimedWord]
    /// Seconds of audio consumed when the event was made.
    public var audioEnd: Double
    /// The lane of a translation stream's event; nil in a transcription stream (one lane).
    public var lane: Lane?
    /// Translation streams: source-lane words written by then (nil without a source lane).
    public var sourceWords: Int?
    /// Translation streams: the spoken language ("" until it is known).
    public var language: String?
    /// Translation streams: the probability the language was identified with (nil when it was given).
    public var languageProbability: Double?

    public init(
        kind: Kind, words: [TimedWord], audioEnd: Double, lane: Lane? = nil, sourceWords: Int? = nil, language: String? = nil,
        languageProbability: Double? = nil
    ) {
        self.kind = kind
        self.words = words
        self.audioEnd = audioEnd
        self.lane = lane
        self.sourceWords = sourceWords
        self.language = language
        self.languageProbability = languageProbability
    }

    private enum CodingKeys: String, CodingKey {
        case kind = "type"
        case words, lane, language
        case audioEnd = "audio_end"
        case sourceWords = "source_words"
        case languageProbability = "language_probability"
    }

    public var text: String { words.map(\.word).joined() }
    public var start: Double { words.first?.start ?? audioEnd }
    public var end: Double { words.last?.end ?? audioEnd }

    /// One JSON line: `{"type","start","end","text","words":[{"word","start","end","probability"}],"emitted_at","audio_end"}`;
    /// a translation lane's event leads with `lane` and adds `source_audio_s`, `source_words`, `language` and
    /// `language_probability` (null when the language was given).
    public func jsonLine(emittedAt: Double) -> String {
        let words = JSONText.array(
            words.map { word in
                .object([
                    ("word", .string(word.word)), ("start", .number(word.start, decimals: 3)), ("end", .number(word.end, decimals: 3)),
                    ("probability", .number(word.probability, decimals: 4)),
                ])
            })
        var fields: [(key: String, value: JSONText)] = [
            ("type", .string(kind.rawValue)), ("start", .number(start, decimals: 3)), ("end", .number(end, decimals: 3)),
            ("text", .string(text)), ("words", words), ("emitted_at", .number(emittedAt, decimals: 3)),
            ("audio_end", .number(audioEnd, decimals: 3)),
        ]
        if let lane {
            fields.insert(("lane", .string(lane.rawValue)), at: 0)
            fields += [
                ("source_audio_s", .number(audioEnd, decimals: 3)), ("source_words", sourceWords.map { .integer($0) } ?? .null),
                ("language", .string(language ?? "")),
                ("language_probability", languageProbability.map { .number($0, decimals: 4) } ?? .null),
            ]
        }
        return JSONText.object(fields).serialized + "\n"
    }
}
