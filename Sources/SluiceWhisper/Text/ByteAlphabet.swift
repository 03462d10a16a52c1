/// GPT-2's reversible map between bytes and the Unicode characters byte-level BPE vocabularies are written in.
///
/// Printable bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 are shifted, in order, to
/// U+0100 and up, so that a space is `Ġ` and a newline `Ċ`.
enum ByteAlphabet {
    /// The character standing for each byte, indexed by byte.
    static let characters: [Unicode.Scalar] = {
        var extra: UInt32 = 0
        return (0...255).map { byte -> Unicode.Scalar in
            if isPrintable(byte) { return Unicode.Scalar(UInt8(byte)) }
            defer { extra += 1 }
            return Unicode.Scalar(256 + extra)!
        }
    }()

    /// The byte each alphabet character stands for.
    static let bytes: [Unicode.Scalar: UInt8] = Dictionary(
        uniqueKeysWithValues: characters.enumerated().map { ($0.element, UInt8($0.offset)) })

    /// The bytes a vocabulary entry stands for; a character outside the alphabet stands for its own UTF-8.
    static func bytes(of text: String) -> [UInt8] {
        var result: [UInt8] = []
        for scalar in text.unicodeScalars {
            if let byte = bytes[scalar] { result.append(byte) } else { result += Array(String(scalar).utf8) }
        }
        return result
    }

    private static func isPrintable(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }
}
