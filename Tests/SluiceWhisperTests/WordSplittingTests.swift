import SluiceWhisper
import Testing

/// Word splitting on the hand-made fixture tokenizer (ids as in TokenizerTests).
@Suite struct WordSplittingTests {
    @Test func wordsStartAtSpacesPunctuationAndSpecialTokens() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        let tokens = tokenizer.encode("hello, the hello!") + [265]
        let words = tokenizer.splitIntoWords(tokens, language: "en")
        #expect(words.map(\.word) == ["hello", ",", " the", " hello", "!", "<|endoftext|>"])
        #expect(words.map(\.tokens) == [[260], [44], [262], [32, 260], [33], [265]])
    }

    @Test func punctuationRunsAreTestedAsSubstringsOfPythonsPunctuation() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        // `,-` is a run of string.punctuation, `?!` is not: the reference joins it to the word before.
        let words = tokenizer.splitIntoWords(tokenizer.encode("hi?! hello,-"), language: "en")
        #expect(words.map(\.word) == ["hi?!", " hello", ",-"])
        #expect(words.map(\.tokens) == [[104, 105, 263], [32, 260], [264]])
    }

    @Test func multiByteCharactersStayWhole() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        let tokens = tokenizer.encode("東京") + [265]
        #expect(tokens.count == 7)
        let characters = tokenizer.splitIntoWords(tokens, language: "ja")
        #expect(characters.map(\.word) == ["東", "京", "<|endoftext|>"])
        #expect(characters.map(\.tokens.count) == [3, 3, 1])
        #expect(tokenizer.splitIntoWords(tokens, language: "en").map(\.word) == ["東京", "<|endoftext|>"])
    }

    @Test func invalidBytesEndARunAtOnce() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        // 0xE6 starts a three-byte character that never comes; "h" follows.
        #expect(tokenizer.splitIntoWords([0xE6, 104], language: "ja").map(\.word) == ["\u{FFFD}", "h"])
    }
}
