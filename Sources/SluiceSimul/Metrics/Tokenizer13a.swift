/// sacreBLEU's default BLEU tokenizer, `13a` (mteval-v13a's rules), rule for rule as sacreBLEU 2.6.0 writes
/// them in `tokenizers/tokenizer_13a.py` and `tokenizers/tokenizer_re.py`.
///
/// 1. Remove `<skipped>` and `-\n`, turn `\n` into a space, and (when the line has an `&`) unescape `&quot;`,
///    `&amp;`, `&lt;`, `&gt;` in that order.
/// 2. Pad the line with a space on each side, then apply the four regular expressions, each in one left-to-right
///    pass: space out ASCII symbols (`{|}~[\]^_` and the backtick, space to `&`, `(` to `+`, `:` to `@`, `/`);
///    split `.` and `,` from a preceding non-digit; split them from a following non-digit; split `-` after a digit.
/// 3. Collapse whitespace (Python's `split()`), joining tokens with one space.
public struct Tokenizer13a: Sendable {
    public init() {}

    /// The tokenized line, tokens separated by single spaces.
    public func tokenize(_ line: String) -> String {
        String(unicodeScalars: tokens(Array(line.unicodeScalars)).joined(separator: [" "]))
    }

    /// The tokens of a line given as scalars.
    func tokens(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var text = line
        for (old, new) in [("<skipped>", ""), ("-\n", ""), ("\n", " ")] {
            text = PythonText.replacing(Array(old.unicodeScalars), with: Array(new.unicodeScalars), in: text)
        }
        if text.contains("&") {
            for (old, new) in [("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] {
                text = PythonText.replacing(Array(old.unicodeScalars), with: Array(new.unicodeScalars), in: text)
            }
        }
        text = [" "] + text + [" "]
        text = text.flatMap { Self.isSpacedSymbol($0) ? [" ", $0, " "] : [$0] }
        text = Self.substitutingPairs(text, matching: { !isDigit($0) }, { isPeriodOrComma($0) }, with: { [$0, " ", $1, " "] })
        text = Self.substitutingPairs(text, matching: { isPeriodOrComma($0) }, { !isDigit($0) }, with: { [" ", $0, " ", $1] })
        text = Self.substitutingPairs(text, matching: { isDigit($0) }, { $0 == "-" }, with: { [$0, " ", $1, " "] })
        return PythonText.split(text)
    }

    /// The first regular expression's class, `[\{-\~\[-\` -\&\(-\+\:-\@\/]`.
    private static func isSpacedSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: true
        default: false
        }
    }

    /// `re.sub` of a two-scalar pattern `(A)(B)`: scan left to right, replace each match, resume after it.
    private static func substitutingPairs(
        _ text: [Unicode.Scalar],
        matching first: (Unicode.Scalar) -> Bool,
        _ second: (Unicode.Scalar) -> Bool,
        with replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
    ) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count + text.count / 4)
        var index = 0
        while index < text.count {
            if index + 1 < text.count, first(text[index]), second(text[index + 1]) {
                result += replacement(text[index], text[index + 1])
                index += 2
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}

/// Python's `[0-9]`: an ASCII digit.
private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

/// Python's `[\.,]`.
private func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool { scalar == "." || scalar == "," }
