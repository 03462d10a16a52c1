import Foundation

/// A word of a streaming hypothesis, with times in seconds from the start of the stream.
public struct TimedWord: Sendable, Equatable, Codable {
    public var word: String
    public var start: Double
    public var end: Double
    public var probability: Double

    public init(word: String, start: Double, end: Double, probability: Double = 1) {
        self.word = word
        self.start = start
        self.end = end
        self.probability = probability
    }

    /// Words that begin with a hyphen or an apostrophe (Whisper splits `post-mortem` into ` post` and
    /// `-mortem`) joined to the word before them: agreement on ` post` alone would make it final while the
    /// rest of the word is still unsure, and the next step may go on with `modern`.
    static func joiningAttached(_ words: [TimedWord]) -> [TimedWord] {
        var joined: [TimedWord] = []
        for word in words {
            if var last = joined.last, let first = word.word.first, "-'’".contains(first) {
                last.word += word.word
                last.end = word.end
                last.probability = min(last.probability, word.probability)
                joined[joined.count - 1] = last
            } else {
                joined.append(word)
            }
        }
        return joined
    }

    /// Whether `again`, words that repeat `said`, take at least half as long (and 0.2 s): a speaker saying a
    /// phrase again ("tear down the fence, tear down the fence"), where Whisper re-reading it squeezes it
    /// into the little audio left after it. The first words are not counted: the aligner stretches the first
    /// word of a buffer back to its start, and gives a word said right after a pause no time.
    static func isSaidAgain(_ again: ArraySlice<TimedWord>, after said: ArraySlice<TimedWord>) -> Bool {
        let (again, said) = again.count > 1 ? (again.dropFirst(), said.dropFirst()) : (again, said)
        return again.last!.end - again.first!.start >= max(0.2, (said.last!.end - said.first!.start) / 2)
    }

    /// Whether the aligner found audio for the word. Words squeezed into no time at all were written without
    /// being heard: a hallucinated phrase ("I knew it. I knew it.") or text that runs past the audio, all
    /// placed at one instant that may lie long before the end of the buffer.
    var isPlaced: Bool { end > start }

    /// The middle of the word in time: unlike its start, it does not cross a boundary when word times jitter
    /// between hypotheses.
    var centre: Double { (start + end) / 2 }

    /// The word as compared between hypotheses: letters and digits, lower-cased, so that a comma or a
    /// capital that comes and goes does not hold the word back (a word of punctuation only is kept as is).
    var key: String {
        let core = word.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }
        return core.isEmpty ? word.trimmingCharacters(in: .whitespaces) : String(String.UnicodeScalarView(core))
    }
}

/// LocalAgreement-n (Macháček et al., whisper_streaming): a word is final once n consecutive hypotheses
/// agree on it and on everything before it.
///
/// A state machine fed with one hypothesis per decoding step:
/// - words centred before the end of the committed text are old and dropped (a centre, unlike a start,
///   does not move across the boundary when word times jitter between hypotheses), and up to five words
///   that repeat the committed tail right at its end are removed (Whisper re-reads the boundary, also
///   after a forced prefix);
/// - the longest prefix shared by the last n hypotheses (compared by letters and digits) becomes final,
///   in the newest hypothesis's spelling; the rest of the newest is partial;
/// - an unsure step (``reject()``) starts agreement over and leaves the partial words as they were;
/// - at the end of the stream (``finish()``) the partial words become final.
/// Final words are never changed afterwards.
public struct LocalAgreement: Sendable {
    /// Hypotheses that must agree (2 in whisper_streaming).
    public let agreement: Int
    /// The latest final words (at most twice `memory`: enough for the prompt and the overlap check, and bounded
    /// on endless streams).
    public private(set) var committed: [TimedWord] = []
    /// How many final words are remembered.
    public let memory = 128
    /// Words an agreeing hypothesis gives a lower probability must wait for `unsureSettledBy`.
    public let unsureBelow = 0.5
    /// The uncommitted tails of the last n − 1 hypotheses, oldest first.
    private var previous: [[TimedWord]] = []
    /// The partial words: the newest accepted hypothesis's uncommitted tail.
    public private(set) var partial: [TimedWord] = []

    public init(agreement: Int = 2) {
        precondition(agreement >= 1, "LocalAgreement needs n ≥ 1")
        self.agreement = agreement
    }

    /// End of the final text, in seconds.
    public var committedEnd: Double { committed.last?.end ?? 0 }

    /// Feeds one hypothesis (the words of the current audio buffer); returns the words that became final
    /// and the partial rest. Only words that end by `settledBy` (seconds) may become final: the last words
    /// of a buffer are heard without what follows them, and hypotheses agree on their misreadings. Words
    /// that end by `overdueBy` become final in the newest spelling even without agreement: a word the
    /// hypotheses keep changing (a name, a rare word) would otherwise hold back every word after it. A word
    /// without duration (``TimedWord/isPlaced``) waits for agreement: its time says nothing about how much
    /// audio followed it. A word that an agreeing hypothesis gives a probability under ``unsureBelow`` must
    /// end by `unsureSettledBy` (by default `settledBy`): the model heard it without confidence, and more audio
    /// after it often changes the reading.
    public mutating func update(
        _ hypothesis: [TimedWord], settledBy: Double = .infinity, unsureSettledBy: Double? = nil,
        overdueBy: Double = -.infinity
    ) -> (final: [TimedWord], partial: [TimedWord]) {
        agree(
            on: withoutRepeatedTail(hypothesis.filter { $0.centre > committedEnd }), settledBy: settledBy,
            unsureSettledBy: unsureSettledBy ?? settledBy, overdueBy: overdueBy)
    }

    /// Feeds one hypothesis that continues the final text (decoded after it as a forced prefix): every word
    /// is new, except a re-read of the committed tail right at its end (the decoder sometimes says the last
    /// final words again when their audio runs past the end the prefix gave them).
    public mutating func extend(
        _ continuation: [TimedWord], settledBy: Double = .infinity, unsureSettledBy: Double? = nil,
        overdueBy: Double = -.infinity
    ) -> (final: [TimedWord], partial: [TimedWord]) {
        agree(on: withoutRepeatedTail(continuation), settledBy: settledBy, unsureSettledBy: unsureSettledBy ?? settledBy, overdueBy: overdueBy)
    }

    /// The step shared by both: `fresh` (the new words of the newest hypothesis) against the previous tails.
    private mutating func agree(
        on fresh: [TimedWord], settledBy: Double, unsureSettledBy: Double,
        overdueBy: Double
    ) -> (final: [TimedWord], partial: [TimedWord]) {
        let history = previous + [fresh]
        var agreed = 0
        if history.count >= agreement {
            let window = history.suffix(agreement)
            while agreed < fresh.count && window.allSatisfy({ agreed < $0.count && $0[agreed].key == fresh[agreed].key }) {
                let unsure = window.contains { $0[agreed].probability < unsureBelow }
                guard fresh[agreed].end <= (unsure ? unsureSettledBy : settledBy) else { break }
                agreed += 1
            }
        }
        while agreed < fresh.count && fresh[agreed].isPlaced && fresh[agreed].end <= min(overdueBy, settledBy) { agreed += 1 }
        agreed = min(agreed, Self.heardCount(fresh))
        let final = Array(fresh.prefix(agreed))
        remember(final)
        previous = history.suffix(max(0, agreement - 1)).map { Array($0.dropFirst(min(agreed, $0.count))) }
        partial = Array(fresh.dropFirst(agreed))
        return (final, partial)
    }

    /// A step whose result was unsure or repetitive: agreement starts over (hallucinations over noise come
    /// between unsure results, and must not agree across them) and the partial words stay, so that a stream
    /// ending on such a step still makes them final (tiny.en loops on the last step of a short utterance).
    public mutating func reject() { previous = [] }

    /// End of stream: the partial words become final, but for a run at their end squeezed into no time
    /// (``TimedWord/isPlaced``): text the decoder wrote past the audio, as when Whisper re-reads the last
    /// sentence into the silence after it.
    public mutating func finish() -> [TimedWord] {
        let rest = Array(partial.prefix(Self.heardCount(partial)))
        remember(rest)
        previous = []
        partial = []
        return rest
    }

    /// How many of `words` may become final: all but a run at their end squeezed into no time
    /// (``TimedWord/isPlaced``), text written past what was heard, which is never made final.
    private static func heardCount(_ words: [TimedWord]) -> Int { (words.lastIndex(where: \.isPlaced) ?? -1) + 1 }

    private mutating func remember(_ words: [TimedWord]) {
        committed += words
        if committed.count > 2 * memory { committed.removeFirst(committed.count - memory) }
    }

    /// Forgets the uncommitted hypotheses (after the audio they came from was dropped).
    public mutating func reset() {
        previous = []
        partial = []
    }

    /// `words` without up to five first words that repeat the committed tail, when they start within a
    /// second of its end (Whisper re-reads the boundary), unless they are the phrase said again.
    private func withoutRepeatedTail(_ words: [TimedWord]) -> [TimedWord] {
        guard let first = words.first, !committed.isEmpty, abs(first.start - committedEnd) < 1 else { return words }
        for length in stride(from: min(5, committed.count, words.count), through: 1, by: -1)
        where committed.suffix(length).map(\.key) == words.prefix(length).map(\.key) {
            // One word re-read or said twice cannot be told apart by its length.
            if length > 1 && TimedWord.isSaidAgain(words.prefix(length), after: committed.suffix(length)) { return words }
            return Array(words.dropFirst(length))
        }
        return words
    }
}
