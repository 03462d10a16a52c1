/// One event of a streaming transcription: final text (never rewritten) or the current partial text.
public struct StreamEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case partial, final }

    public var kind: Kind
    public var words: [TimedWord]
    /// Seconds of audio consumed when the event was made.
    public var audioEnd: Double

    public init(kind: Kind, words: [TimedWord], audioEnd: Double) {
        self.kind = kind
        self.words = words
        self.audioEnd = audioEnd
    }

    public var text: String { words.map(\.word).joined() }
    public var start: Double { words.first?.start ?? audioEnd }
    public var end: Double { words.last?.end ?? audioEnd }

    /// One JSON line: `{"type","start","end","text","words":[{"word","start","end","probability"}],"emitted_at","audio_end"}`.
    public func jsonLine(emittedAt: Double) -> String {
        let words = JSONText.array(words.map { word in
            .object([("word", .string(word.word)), ("start", .number(word.start, decimals: 3)), ("end", .number(word.end, decimals: 3)),
                     ("probability", .number(word.probability, decimals: 4))])
        })
        let object = JSONText.object([
            ("type", .string(kind.rawValue)), ("start", .number(start, decimals: 3)), ("end", .number(end, decimals: 3)),
            ("text", .string(text)), ("words", words), ("emitted_at", .number(emittedAt, decimals: 3)),
            ("audio_end", .number(audioEnd, decimals: 3)),
        ])
        return object.serialized + "\n"
    }
}
