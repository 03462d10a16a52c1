import Foundation

/// Whisper's byte-level BPE vocabulary from `tokenizer.json`: token ids to text.
///
/// Tokens are stored in GPT-2's byte-to-Unicode alphabet; decoding maps each character back to its
/// byte and reads the bytes as UTF-8. Special and timestamp tokens carry no text.
public struct Tokenizer: Sendable {
    private let pieces: [Int: [UInt8]]
    /// The first special token id; ids at or above it are not text.
    public let firstSpecial: Int

    public init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let model = json["model"] as? [String: Any], let vocabulary = model["vocab"] as? [String: Int]
        else { throw TokenizerError("\(path): not a tokenizer.json with model.vocab") }
        let byteOf = Self.unicodeToByte()
        var pieces: [Int: [UInt8]] = [:]
        for (text, id) in vocabulary {
            pieces[id] = text.unicodeScalars.map { byteOf[$0] ?? 0x3F }
        }
        let added = (json["added_tokens"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        self.pieces = pieces
        firstSpecial = added.min() ?? Int.max
    }

    /// The text of `tokens`, skipping special and timestamp tokens.
    public func decode(_ tokens: [Int]) -> String {
        var bytes: [UInt8] = []
        for token in tokens where token < firstSpecial { bytes += pieces[token] ?? [] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// GPT-2's reversible map: printable bytes stand for themselves, the rest are shifted above 255.
    private static func unicodeToByte() -> [Unicode.Scalar: UInt8] {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var codes = printable
        var extra = 0
        for byte in 0...255 where !printable.contains(byte) {
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
        }
        var map: [Unicode.Scalar: UInt8] = [:]
        for (byte, code) in zip(printable, codes) { map[Unicode.Scalar(UInt32(code))!] = UInt8(byte) }
        return map
    }
}

/// A tokenizer file problem.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
