import Testing

@testable import SluiceWhisper

@Suite struct PreTokenizerTests {
    @Test(arguments: [
        ("Hello world", ["Hello", " world"]),
        ("a  b", ["a", " ", " b"]),
        ("a \n b", ["a", " \n", " b"]),
        ("a\nb", ["a", "\n", "b"]),
        ("end   ", ["end", "   "]),
        (" ", [" "]),
        ("", []),
        ("I'm it's we'll they're 've 'd 'S", ["I", "'m", " it", "'s", " we", "'ll", " they", "'re", " '", "ve", " '", "d", " '", "S"]),
        ("3.14 and 1,000!", ["3", ".", "14", " and", " 1", ",", "000", "!"]),
        ("hi!'s ...?", ["hi", "!'", "s", " ...?"]),
        ("naïve café — 東京", ["naïve", " café", " —", " 東京"]),
        ("cafe\u{301}", ["cafe", "\u{301}"]),
        ("x\u{3000}y", ["x", "\u{3000}", "y"]),
        ("½² Ⅻ", ["½²", " Ⅻ"]),
    ])
    func splitsAsTheGPT2Pattern(text: String, pieces: [String]) {
        #expect(PreTokenizer.pieces(of: text).map(String.init) == pieces)
    }
}
