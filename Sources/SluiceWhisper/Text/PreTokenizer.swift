/// GPT-2's pre-tokenization: the pieces that byte-level BPE encodes one by one.
///
/// It is the regular expression
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, written out by hand over
/// Unicode scalars with the regex's leftmost-first alternation: contractions (lower case only), then an
/// optional space and a run of letters, of numbers or of other characters, then whitespace. A whitespace run
/// followed by text leaves its last character to start the next piece, so `"a  b"` is `a`, ` `, ` b`.
/// `\s` is Unicode's White_Space property, `\p{L}` and `\p{N}` the letter and number categories.
enum PreTokenizer {
    /// The pieces of `text`, in order; they concatenate back to `text`.
    static func pieces(of text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var pieces: [Substring] = []
        var start = scalars.startIndex
        while start < scalars.endIndex {
            let end = pieceEnd(in: scalars, from: start)
            pieces.append(Substring(scalars[start..<end]))
            start = end
        }
        return pieces
    }

    private enum Class { case letter, number, space, other }

    private static func kind(of scalar: Unicode.Scalar) -> Class {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    private static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }

    /// Where the piece starting at `start` ends.
    private static func pieceEnd(in scalars: String.UnicodeScalarView, from start: String.Index) -> String.Index {
        let end = scalars.endIndex
        // Contractions.
        if scalars[start] == "'" {
            let next = scalars.index(after: start)
            for suffix in contractions where scalars[next...].starts(with: suffix) {
                return scalars.index(next, offsetBy: suffix.count)
            }
        }
        // An optional space, then a run of letters, of numbers or of other characters.
        let body = scalars[start] == " " ? scalars.index(after: start) : start
        if body < end {
            let bodyKind = kind(of: scalars[body])
            if bodyKind != .space {
                var index = scalars.index(after: body)
                while index < end, kind(of: scalars[index]) == bodyKind { index = scalars.index(after: index) }
                return index
            }
        }
        // Whitespace: all of a run that ends the text, else the run less its last character if that leaves any.
        var runEnd = start
        while runEnd < end, kind(of: scalars[runEnd]) == .space { runEnd = scalars.index(after: runEnd) }
        if runEnd < end, scalars.distance(from: start, to: runEnd) > 1 { return scalars.index(before: runEnd) }
        return runEnd
    }
}
