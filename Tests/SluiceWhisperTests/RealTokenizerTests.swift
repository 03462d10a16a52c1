import Foundation
import SluiceTestSupport
import SluiceWhisper
import Testing

/// tiny.en's tokenizer against the reference implementations (model-backed: needs `sluice models fetch tiny.en`).
/// The expected values come from Fixtures/make_tokenizer_cases.py.
@Suite(.needsModels("tiny.en")) struct RealTokenizerTests {
    struct EncodeCase: Decodable {
        var text: String
        var ids: [Int]
    }

    struct WordCase: Decodable {
        struct Word: Decodable {
            var word: String
            var tokens: [Int]
        }

        var language: String
        var tokens: [Int]
        var words: [Word]
    }

    /// Hugging Face `tokenizers` (and tiktoken, which agrees) on 36 strings.
    @Test func encodesAsHuggingFaceAndRoundTrips() throws {
        let tokenizer = try FixtureFiles.tinyEnglishTokenizer()
        let cases = try FixtureFiles.decode([EncodeCase].self, from: "tokenizer-cases.json")
        #expect(cases.count == 36)
        for item in cases {
            let ids = tokenizer.encode(item.text)
            #expect(ids == item.ids, "encoding \(item.text.debugDescription)")
            #expect(tokenizer.decode(ids) == item.text)
        }
    }

    @Test func findsWhispersSpecialTokens() throws {
        let tokenizer = try FixtureFiles.tinyEnglishTokenizer()
        let special = SpecialTokens(vocabularySize: 51864)
        #expect(tokenizer.token(for: "<|endoftext|>") == special.endOfText)
        #expect(tokenizer.token(for: "<|startoftranscript|>") == special.startOfTranscript)
        #expect(tokenizer.token(for: "<|en|>") == 50258)
        #expect(tokenizer.token(for: "<|notimestamps|>") == special.noTimestamps)
        #expect(tokenizer.firstSpecial == special.endOfText)
    }

    /// openai-whisper's `split_to_word_tokens`, on spaces (en) and on characters (ja, zh).
    @Test func splitsWordsAsTheReference() throws {
        let tokenizer = try FixtureFiles.tinyEnglishTokenizer()
        let cases = try FixtureFiles.decode([WordCase].self, from: "word-split-cases.json")
        #expect(cases.count == 5)
        for item in cases {
            let words = tokenizer.splitIntoWords(item.tokens, language: item.language)
            #expect(words.map(\.word) == item.words.map(\.word))
            #expect(words.map(\.tokens) == item.words.map(\.tokens))
        }
    }

    @Test func encodesAPromptInUnderAMillisecondOrSo() throws {
        let tokenizer = try FixtureFiles.tinyEnglishTokenizer()
        let prompt = String(repeating: "The quick brown fox, aged 12, didn't jump — naïvely. ", count: 4)
        #expect(prompt.count > 200)
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<100 { _ = tokenizer.encode(prompt) } } / 100
        #expect(elapsed < .milliseconds(5), "encoding \(prompt.count) characters took \(elapsed)")
    }
}
