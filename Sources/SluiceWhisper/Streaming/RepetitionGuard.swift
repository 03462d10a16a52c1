/// Detects decoding loops ("the the the …", a phrase over and over) in a token sequence, and a phrase that
/// Whisper says again at the end of a buffer.
public enum RepetitionGuard {
    /// Where a hypothesis starts saying again what it has just said: the first word `start` (at `from` or
    /// later) from which at least `minimumWords` words (or the whole rest, when at least 3 words) repeat a run
    /// that starts at most `lookBack` words before it and ends before it; `earlier` is where the longest such
    /// run starts and `length` how many words repeat it. Seen at the end of a buffer, where Whisper re-reads
    /// the last sentence into the silence after it (its word times squeezed into a fraction of a second); a
    /// live speaker rarely repeats four words.
    static func repetition(
        in words: [String], from first: Int = 0, minimumWords: Int = 4,
        lookBack: Int = 24
    ) -> (start: Int, earlier: Int, length: Int)? {
        let firstStart = max(3, first)
        guard words.count >= 6, firstStart < words.count - 2 else { return nil }
        for start in firstStart..<(words.count - 2) {
            let rest = words.count - start
            let needed = min(minimumWords, rest)
            guard needed >= 3 else { break }
            guard start >= needed else { continue }
            var longest = 0, longestEarlier = 0
            for earlier in max(0, start - lookBack)...(start - needed) {
                var length = 0
                while start + length < words.count && earlier + length < start && words[earlier + length] == words[start + length] {
                    length += 1
                }
                if length >= needed && length > longest { (longest, longestEarlier) = (length, earlier) }
            }
            if longest > 0 { return (start, longestEarlier, longest) }
        }
        return nil
    }

    /// Whether a token n-gram repeats back to back: a 1–2 token one four times, a 3–10 token one three times.
    public static func loops(_ tokens: [Int]) -> Bool {
        for n in 1...10 {
            let times = n < 3 ? 4 : 3
            guard tokens.count >= n * times else { break }
            var run = 1
            var index = n
            while index + n <= tokens.count {
                if tokens[index..<(index + n)] == tokens[(index - n)..<index] {
                    run += 1
                    if run >= times { return true }
                    index += n
                } else {
                    run = 1
                    index += 1
                }
            }
        }
        return false
    }

    /// The words to remove where the new words (from `newFrom`) start saying again what was just said
    /// (``repetition(in:from:minimumWords:lookBack:)``; a repeat within the final words is the speaker's,
    /// and final): from there to the end or, where the new words begin by saying final words again, only
    /// those words. Whisper re-reads final text after an unsure forced prefix and then goes on with the new
    /// speech: cut at the re-read, every step lost all its new words until the buffer moved on (once 16 s
    /// of a live stream without a final word). A phrase said again at about the length the speaker took is
    /// kept where it follows the final words or comes back after other words ("it was here that … it was
    /// here that", "you have seen my lady … you have seen"); right after itself inside the new words it is a
    /// loop, whose words the aligner spreads over the audio.
    static func repeatCut(_ words: [TimedWord], newFrom start: Int) -> Range<Int>? {
        guard let (cut, earlier, run) = repetition(in: words.map(\.key), from: start) else { return nil }
        let length = min(run, 4)
        let saidAgain = TimedWord.isSaidAgain(words[cut..<(cut + length)], after: words[earlier..<(earlier + length)])
        if cut == start { return saidAgain ? nil : cut..<(cut + run) }
        if saidAgain && earlier + run < cut { return nil }
        return cut..<words.count
    }
}
