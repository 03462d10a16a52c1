import Foundation

/// The written (final) target text of one simultaneous-translation run, read back from its JSON lines, with
/// what SimulEval needs to score it.
public struct EventLog: Sendable, Equatable {
    /// One target word and when it was written.
    public struct Write: Sendable, Equatable {
        public var word: String
        /// Seconds of source audio read (`source_audio_s`).
        public var sourceSeconds: Double
        /// Wall-clock seconds since the stream started (`emitted_at`).
        public var emittedAt: Double
        /// Source-lane words written by then (`source_words`), when the run had a source lane.
        public var sourceWords: Int?
    }

    public var writes: [Write]
    /// Seconds of audio in the whole stream (the largest `audio_end`).
    public var sourceSeconds: Double
    /// Source-lane words written in the whole stream (nil without a source lane).
    public var sourceWords: Int?
    /// The language the run identified (or was given), and the probability it was identified with.
    public var language: String?
    public var languageProbability: Double?

    /// The target text: written words joined as written.
    public var targetText: String { writes.map(\.word).joined().trimmingCharacters(in: .whitespaces) }

    /// Reads the JSON lines of `sluice transcribe --stream --task translate` or `simul.translate`; `name` is
    /// used in errors (`name:line: …`).
    public init(jsonLines text: String, name: String) throws(EventLogError) {
        writes = []
        sourceSeconds = 0
        var sourceCount = 0
        var hasSourceLane = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let location = "\(name):\(index + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw EventLogError("\(location): not a JSON object")
            }
            guard let lane = object["lane"] as? String, let type = object["type"] as? String,
                let audioEnd = object["audio_end"] as? Double, let emittedAt = object["emitted_at"] as? Double
            else { throw EventLogError("\(location): not a simultaneous-translation event (needs lane, type, audio_end, emitted_at)") }
            sourceSeconds = max(sourceSeconds, audioEnd)
            language = object["language"] as? String ?? language
            languageProbability = object["language_probability"] as? Double ?? languageProbability
            guard type == "final" else { continue }
            let words = (object["words"] as? [[String: Any]] ?? []).compactMap { $0["word"] as? String }
            if lane == "source" {
                hasSourceLane = true
                sourceCount += words.count
                continue
            }
            guard lane == "target" else { throw EventLogError("\(location): unknown lane '\(lane)'") }
            let read = object["source_audio_s"] as? Double ?? audioEnd
            let sourceWords = object["source_words"] as? Int
            // One target unit per whitespace-separated piece, as SimulEval splits a prediction (`str.split()`).
            writes += words.flatMap { word in
                Self.pieces(of: word).map { Write(word: $0, sourceSeconds: read, emittedAt: emittedAt, sourceWords: sourceWords) }
            }
        }
        sourceWords = hasSourceLane ? sourceCount : nil
    }

    /// A written word as SimulEval's words: its whitespace-separated pieces (a word of whitespace only is none);
    /// each piece after the first, and the first when the word began with a space, keeps one leading space.
    static func pieces(of word: String) -> [String] {
        let leading = word.first?.isWhitespace == true
        return word.split(whereSeparator: { $0.isWhitespace }).enumerated().map { index, piece in
            index > 0 || leading ? " " + piece : String(piece)
        }
    }

    /// The instance in seconds of audio: one delay per written word; computation-aware times as SimulEval
    /// takes them (audio read + wall-clock since the start, for runs fed as fast as they decode), or the
    /// wall-clock alone for runs paced at real time (`paced`), where it already includes the audio's arrival.
    public func secondsInstance(reference: String?, paced: Bool) -> SimulInstance {
        SimulInstance(
            delays: writes.map(\.sourceSeconds),
            elapsed: writes.map { paced ? $0.emittedAt : $0.sourceSeconds + $0.emittedAt },
            sourceLength: max(sourceSeconds, 1e-3),
            referenceLength: reference.map(SimulInstance.referenceWordCount))
    }

    /// The instance in source words (needs a source lane): delays are the source words written by each write.
    public func wordsInstance(reference: String?) -> SimulInstance? {
        guard let sourceWords, sourceWords > 0 else { return nil }
        return SimulInstance(
            delays: writes.map { Double($0.sourceWords ?? 0) }, sourceLength: Double(sourceWords),
            referenceLength: reference.map(SimulInstance.referenceWordCount))
    }
}

/// An event log that cannot be read, with the file and line.
public struct EventLogError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
