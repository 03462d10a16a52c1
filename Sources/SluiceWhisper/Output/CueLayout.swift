import Foundation

/// How subtitle cues are cut from a transcript, as caption guidelines ask: lines of at most `maxLineWidth`
/// characters, at most `maxLineCount` lines a cue, a reading speed of at most `maxCharactersPerSecond` where
/// the gap to the next cue allows, every cue inside the audio and none overlapping the next.
///
/// Cues are cut at word boundaries: after a sentence's end, at a pause, and where a sentence needs more than
/// one cue, into cues of about equal length; using word timings when the transcript has them (`--word-timestamps`), else times spread over each
/// segment by character count. `maxLineWidth` 0 gives one cue a segment on one line (openai-whisper's writers).
public struct CueLayout: Sendable, Equatable {
    public var maxLineWidth = 42
    public var maxLineCount = 2
    /// 0: no limit.
    public var maxCharactersPerSecond = 20.0

    public init() {}

    /// One cue a segment, its text on one line: openai-whisper's `WriteSRT`/`WriteVTT` without word options.
    public static var segments: CueLayout {
        var layout = CueLayout()
        layout.maxLineWidth = 0
        layout.maxCharactersPerSecond = 0
        return layout
    }

    /// A silence at least this long between two words ends a cue.
    static let pauseSeconds = 1.0
}

/// One subtitle cue: its time span (seconds) and its lines.
public struct Cue: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var lines: [String]
}

extension CueLayout {
    /// The transcript's cues in order.
    public func cues(for transcript: Transcript) -> [Cue] { settledCues(for: transcript, isComplete: true) }

    /// The cues that later segments cannot change: all of them when the transcript is complete, else those
    /// before the last run of words (which the next segment may continue). Cues already settled come out
    /// the same in every later call, so a writer can print them as a transcription goes.
    public func settledCues(for transcript: Transcript, isComplete: Bool) -> [Cue] {
        let runs: [[Cue]]
        if maxLineWidth == 0 {
            runs = transcript.segments.map { [Cue(start: $0.start, end: $0.end, lines: [Self.clean($0.text)])] }
        } else {
            runs = Self.runs(transcript.segments.flatMap { Self.words(of: $0, duration: transcript.duration) }).map(cues(forRun:))
        }
        // Retiming a cue looks at the next cue's start only, and a run's first cue starts at its first word.
        let cues = retimed(runs.flatMap { $0 }, duration: transcript.duration)
        return isComplete ? cues : Array(cues.dropLast(runs.last?.count ?? 0))
    }

    /// Words between hard breaks: a sentence's end, or a pause of `pauseSeconds`.
    private static func runs(_ words: [CueWord]) -> [[CueWord]] {
        var runs: [[CueWord]] = []
        var current: [CueWord] = []
        for word in words {
            if let last = current.last, word.start - last.end >= pauseSeconds || ".?!".contains(last.text.last!) {
                runs.append(current)
                current = []
            }
            current.append(word)
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// A run in as few cues as fit the layout, of about equal length (no one-word cue left over).
    private func cues(forRun words: [CueWord]) -> [Cue] {
        for count in 1...words.count {
            let chunks = Self.split(words, into: count)
            if chunks.allSatisfy({ Self.wrap($0.map(\.text), width: maxLineWidth).count <= maxLineCount }) { return chunks.map(cue) }
        }
        return words.map { cue([$0]) }  // not reached: one word a cue always fits (a long word gets a line of its own)
    }

    /// `words` in `count` consecutive non-empty parts, cut at the words whose ends are nearest to equal shares of the characters.
    private static func split(_ words: [CueWord], into count: Int) -> [[CueWord]] {
        var ends: [Int] = []  // characters up to the end of each word, spaces included
        for word in words { ends.append((ends.last.map { $0 + 1 } ?? 0) + word.text.count) }
        var cuts: [Int] = []  // index of the first word of each part after the first
        for part in 1..<max(count, 1) {
            let target = Double(ends[ends.count - 1]) * Double(part) / Double(count)
            let lowest = (cuts.last ?? 0) + 1, highest = words.count - (count - part)
            guard lowest <= highest else { break }
            let cut = (lowest...highest).min { abs(Double(ends[$0 - 1]) - target) < abs(Double(ends[$1 - 1]) - target) }!
            cuts.append(cut)
        }
        return zip([0] + cuts, cuts + [words.count]).map { Array(words[$0..<$1]) }
    }

    private func cue(_ words: [CueWord]) -> Cue {
        Cue(start: words[0].start, end: words[words.count - 1].end, lines: Self.balancedLines(words.map(\.text), width: maxLineWidth))
    }

    /// Times inside the audio, in order without overlap, lengthened into the gap after a cue toward the
    /// reading speed.
    private func retimed(_ cues: [Cue], duration: Double) -> [Cue] {
        var result = cues
        var previousEnd = 0.0
        for index in result.indices {
            var cue = result[index]
            cue.end = min(max(cue.end, 0), duration)
            cue.start = min(max(cue.start, previousEnd), cue.end)
            if maxCharactersPerSecond > 0 {
                let limit = index + 1 < result.count ? min(duration, max(result[index + 1].start, cue.end)) : duration
                let reading = Double(cue.lines.joined(separator: " ").count) / maxCharactersPerSecond
                cue.end = max(cue.end, min(cue.start + reading, limit))
            }
            result[index] = cue
            previousEnd = cue.end
        }
        return result
    }

    // MARK: - Words and lines

    /// A word of a cue: its text without surrounding spaces, and its times.
    private struct CueWord {
        var text: String
        var start: Double
        var end: Double
    }

    /// The segment's words with their timings, or its text's words spread over its span (within the audio)
    /// by character count.
    private static func words(of segment: TranscriptSegment, duration: Double) -> [CueWord] {
        if let words = segment.words, !words.isEmpty {
            return words.compactMap { word in
                let text = clean(word.word)
                return text.isEmpty ? nil : CueWord(text: text, start: word.start, end: word.end)
            }
        }
        let texts = clean(segment.text).split(separator: " ").map(String.init)
        let total = Double(max(1, texts.reduce(0) { $0 + $1.count }))
        let span = max(0, min(segment.end, duration) - segment.start)
        var done = 0
        return texts.map { text in
            defer { done += text.count }
            return CueWord(
                text: text, start: segment.start + span * Double(done) / total, end: segment.start + span * Double(done + text.count) / total)
        }
    }

    /// Text for a cue: trimmed, and `-->` (which would end a timing line) written `->`.
    static func clean(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "-->", with: "->")
    }

    /// Words filled greedily into lines of at most `width` (a longer word gets a line of its own).
    static func wrap(_ words: [String], width: Int) -> [String] {
        var lines: [String] = []
        for word in words {
            if let last = lines.last, last.count + 1 + word.count <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
        return lines
    }

    /// The same words in as many lines as greedy filling needs, two lines split where the longer is
    /// shortest, preferring a break after punctuation (captions read better so).
    static func balancedLines(_ words: [String], width: Int) -> [String] {
        let greedy = wrap(words, width: width)
        guard greedy.count == 2 else { return greedy }
        var best = greedy, bestScore = Int.max
        for split in 1..<words.count {
            let first = words[..<split].joined(separator: " "), second = words[split...].joined(separator: " ")
            guard first.count <= width, second.count <= width else { continue }
            let score = max(first.count, second.count) - (first.last.map { ",;:.?!".contains($0) } == true ? 8 : 0)
            if score < bestScore { (best, bestScore) = ([first, second], score) }
        }
        return best
    }
}
