/// Detects decoding loops ("the the the …", a phrase over and over) in a token sequence, and a phrase that
/// Whisper says again at the end of a buffer.
public enum RepetitionGuard {
    /// Where a hypothesis starts saying again what it has just said: the first word `j` from which at least
    /// `minimumWords` words (or the whole rest, when at least 3 words) repeat a run that starts at most
    /// `lookBack` words before `j` and ends before it. Seen at the end of a buffer, where Whisper re-reads the last
    /// sentence into the silence after it (its word times squeezed into a fraction of a second); a live
    /// speaker rarely repeats four words.
    public static func repeatStart(_ words: [String], minimumWords: Int = 4, lookBack: Int = 24) -> Int? {
        guard words.count >= 6 else { return nil }
        for start in 3..<(words.count - 2) {
            let rest = words.count - start
            let needed = min(minimumWords, rest)
            guard needed >= 3 else { break }
            guard start >= needed else { continue }
            for earlier in max(0, start - lookBack)...(start - needed) {
                var length = 0
                while start + length < words.count && earlier + length < start && words[earlier + length] == words[start + length] {
                    length += 1
                }
                if length >= needed { return start }
            }
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

    /// Where the words start saying again what they have just said (``RepetitionGuard/repeatStart``), except
    /// where the new words (from `newFrom`) begin by saying the final words again and take about as long as
    /// the speaker did: the policy keeps such a phrase said again and drops a re-read. (Cut there, every step
    /// would lose all its new words until the buffer moved past the first saying.)
    static func repeatCut(_ words: [TimedWord], newFrom start: Int) -> Int? {
        guard let cut = repeatStart(words.map(\.key)) else { return nil }
        let length = min(cut, words.count - cut, 4)
        guard cut == start, length > 1 else { return cut }
        let again = words[cut..<(cut + length)], said = words[(cut - length)..<cut]
        return again.map(\.key) == said.map(\.key) && TimedWord.isSaidAgain(again, after: said) ? nil : cut
    }
}
