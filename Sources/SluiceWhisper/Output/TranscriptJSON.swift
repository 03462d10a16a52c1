import Foundation

/// The JSON shapes of OpenAI's transcription API.
///
/// Keys are in the API's order. Times (seconds) have at most 3 decimals, probabilities, log-probabilities,
/// ratios and temperatures at most 4. The top-level `text` is stripped of surrounding whitespace, as the API
/// returns it; segment and word texts are kept as decoded (with their leading space).
public enum TranscriptJSON {
    /// `{"text":…}`, then `extra` members (the service's `usage`).
    public static func plain(_ transcript: Transcript, appending extra: [(key: String, value: JSONText)] = []) -> String {
        JSONText.object([("text", .string(fullText(transcript)))] + extra).serialized + "\n"
    }

    /// `{"task","language","duration","text","segments"[,"words"]}`, the language by name (`english`).
    ///
    /// A segment has `words` when it has word timings; the top-level `words`, every segment's words in
    /// order, is there when any segment has them.
    public static func verbose(_ transcript: Transcript, appending extra: [(key: String, value: JSONText)] = []) -> String {
        var members: [(key: String, value: JSONText)] = [
            ("task", .string(transcript.task)),
            ("language", .string(WhisperLanguages.name(of: transcript.language) ?? transcript.language)),
            ("duration", time(transcript.duration)),
            ("text", .string(fullText(transcript))),
            ("segments", .array(transcript.segments.map(segment))),
        ]
        if transcript.segments.contains(where: { $0.words != nil }) {
            members.append(("words", .array(transcript.segments.flatMap { $0.words ?? [] }.map(word))))
        }
        return JSONText.object(members + extra).serialized + "\n"
    }

    /// A segment as verbose_json's `segments` hold it.
    static func segment(_ segment: TranscriptSegment) -> JSONText {
        var members: [(key: String, value: JSONText)] = [
            ("id", .integer(segment.id)),
            ("seek", .integer(segment.seek)),
            ("start", time(segment.start)),
            ("end", time(segment.end)),
            ("text", .string(segment.text)),
            ("tokens", .array(segment.tokens.map { .integer($0) })),
            ("temperature", figure(segment.temperature)),
            ("avg_logprob", figure(segment.averageLogProbability)),
            ("compression_ratio", figure(segment.compressionRatio)),
            ("no_speech_prob", figure(segment.noSpeechProbability)),
        ]
        if let words = segment.words { members.append(("words", .array(words.map(word)))) }
        return .object(members)
    }

    private static func word(_ word: TranscriptWord) -> JSONText {
        .object([
            ("word", .string(word.word)), ("start", time(word.start)), ("end", time(word.end)),
            ("probability", figure(word.probability)),
        ])
    }

    private static func fullText(_ transcript: Transcript) -> String {
        transcript.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func time(_ seconds: Double) -> JSONText { .number(seconds, decimals: 3) }
    private static func figure(_ value: Double) -> JSONText { .number(value, decimals: 4) }
}
