import SluiceWhisper

/// One event of simultaneous translation: written (final) or tentative (partial) text on one lane.
public struct SimulEvent: Sendable, Equatable {
    /// `source`: the transcript in the spoken language; `target`: the translation.
    public enum Lane: String, Sendable { case source, target }

    public var lane: Lane
    public var kind: StreamEvent.Kind
    /// Words with the stream times (seconds) of the audio their first and last token attend to.
    public var words: [TimedWord]
    /// Seconds of audio read when the event was made.
    public var audioEnd: Double
    /// Source-lane words written by then (nil without a source lane).
    public var sourceWords: Int?
    public var language: String

    public var text: String { words.map(\.word).joined() }

    /// One JSON line: the streaming event's fields plus `lane`, `source_audio_s`, `source_words` and `language`.
    public func jsonLine(emittedAt: Double) -> String {
        let base = StreamEvent(kind: kind, words: words, audioEnd: audioEnd)
        let object = JSONText.object([
            ("lane", .string(lane.rawValue)), ("type", .string(kind.rawValue)),
            ("start", .number(base.start, decimals: 3)), ("end", .number(base.end, decimals: 3)), ("text", .string(text)),
            ("words", JSONText.array(words.map { word in
                .object([("word", .string(word.word)), ("start", .number(word.start, decimals: 3)),
                         ("end", .number(word.end, decimals: 3)), ("probability", .number(word.probability, decimals: 4))])
            })),
            ("emitted_at", .number(emittedAt, decimals: 3)), ("audio_end", .number(audioEnd, decimals: 3)),
            ("source_audio_s", .number(audioEnd, decimals: 3)), ("source_words", sourceWords.map { .integer($0) } ?? .null),
            ("language", .string(language)),
        ])
        return object.serialized + "\n"
    }
}
