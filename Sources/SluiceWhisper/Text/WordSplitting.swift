/// Splitting tokens into words for word timestamps, as openai-whisper's `split_to_word_tokens` does.
extension Tokenizer {
    /// Languages written without spaces between words; their words are single characters.
    private static let languagesWithoutSpaces: Set<String> = ["zh", "ja", "th", "lo", "my", "yue"]

    /// Python's `string.punctuation`; a piece counts as punctuation when, stripped, it is a substring of it.
    private static let punctuation = Array(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.unicodeScalars)

    /// The words of `tokens` (text tokens, usually followed by `<|endoftext|>`) and the tokens of each.
    ///
    /// For zh, ja, th, lo, my and yue a word is every shortest run of tokens that decodes to whole characters.
    /// Otherwise those runs are joined into words: a new word starts at a run beginning with a space, at a
    /// special token, and at punctuation, which is, as in the reference, a run whose stripped text is a
    /// substring of Python's `string.punctuation`: `,` and `,-` start a word, `?!` and `",` join the one before. As in the reference, the end-of-text token the caller appends stays a word of
    /// its own, spelled `<|endoftext|>`, so that alignment can place the end of the last word.
    public func splitIntoWords(_ tokens: [Int], language: String) -> [(word: String, tokens: [Int])] {
        let characters = splitOnCharacters(tokens)
        if Self.languagesWithoutSpaces.contains(language) { return characters }
        var words: [(word: String, tokens: [Int])] = []
        for (text, tokens) in characters {
            let startsWord = tokens[0] >= firstSpecial || text.unicodeScalars.first == " " || Self.isPunctuation(text)
            if startsWord || words.isEmpty {
                words.append((text, tokens))
            } else {
                words[words.count - 1].word += text
                words[words.count - 1].tokens += tokens
            }
        }
        return words
    }

    /// The shortest runs of `tokens` that decode to whole characters (the reference's `split_tokens_on_unicode`).
    ///
    /// A run ends when its text has no replacement character, or when the first one it has is also in the
    /// text of all the tokens (bytes that never become a character).
    private func splitOnCharacters(_ tokens: [Int]) -> [(word: String, tokens: [Int])] {
        let whole = Array(decodeLossily(tokens).unicodeScalars)
        var runs: [(word: String, tokens: [Int])] = []
        var run: [Int] = []
        var offset = 0
        for token in tokens {
            run.append(token)
            let text = decodeLossily(run)
            let scalars = Array(text.unicodeScalars)
            if let bad = scalars.firstIndex(of: "\u{FFFD}"), offset + bad >= whole.count || whole[offset + bad] != "\u{FFFD}" {
                continue
            }
            runs.append((text, run))
            run = []
            offset += scalars.count
        }
        return runs
    }

    /// The text of `tokens` with special tokens spelled out and invalid UTF-8 as U+FFFD.
    private func decodeLossily(_ tokens: [Int]) -> String { String(decoding: bytes(of: tokens), as: UTF8.self) }

    /// Whether `text`, stripped of whitespace as Python strips it, is a substring of Python's `string.punctuation`.
    private static func isPunctuation(_ text: String) -> Bool {
        let stripped = Array(text.unicodeScalars.drop(while: isPythonSpace).reversed().drop(while: isPythonSpace).reversed())
        guard !stripped.isEmpty else { return true }
        guard stripped.count <= punctuation.count else { return false }
        return (0...(punctuation.count - stripped.count)).contains { punctuation[$0..<($0 + stripped.count)].elementsEqual(stripped) }
    }

    /// Python's `str.isspace` for one character: White_Space plus the ASCII separators U+001C…U+001F.
    private static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
}
