import Foundation

/// Whisper's byte-level BPE tokenizer, read from a Hugging Face `tokenizer.json`: text to token ids and back.
///
/// Tokens are stored in GPT-2's byte-to-Unicode alphabet (``ByteAlphabet``). Encoding splits text with GPT-2's
/// pre-tokenizer and merges each piece's bytes by rank; it reads all text as ordinary text, so `<|en|>` in
/// the input is encoded character by character (look special tokens up with ``token(for:)``). Decoding maps
/// each token back to its bytes and reads them as UTF-8. The added tokens (`<|endoftext|>` and up) are
/// special and carry no text.
public struct Tokenizer: Sendable {
    /// Each token's bytes; special tokens have their name's.
    private let pieces: [Int: [UInt8]]
    private let specials: [String: Int]
    private let encoder: BytePairEncoder
    /// The first special token id; ids at or above it are not text.
    public let firstSpecial: Int

    public init(path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenizerError("\(path): cannot read (\(error.localizedDescription))")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let model = json["model"] as? [String: Any], let vocabulary = model["vocab"] as? [String: Int],
            let mergeList = model["merges"] as? [Any]
        else { throw TokenizerError("\(path): not a tokenizer.json with model.vocab and model.merges") }
        let added = (json["added_tokens"] as? [[String: Any]] ?? []).compactMap { token -> (String, Int)? in
            guard let content = token["content"] as? String, let id = token["id"] as? Int else { return nil }
            return (content, id)
        }
        var pieces: [Int: [UInt8]] = [:]
        for (text, id) in vocabulary { pieces[id] = ByteAlphabet.bytes(of: text) }
        for (content, id) in added { pieces[id] = Array(content.utf8) }
        self.pieces = pieces
        specials = Dictionary(added, uniquingKeysWith: { first, _ in first })
        firstSpecial = added.map(\.1).min() ?? Int.max
        encoder = try Self.encoder(vocabulary: vocabulary, merges: mergeList, path: path)
    }

    /// The ids of `text`.
    public func encode(_ text: String) -> [Int] {
        var tokens: [Int] = []
        for piece in PreTokenizer.pieces(of: text) { tokens += encoder.encode(piece.utf8) }
        return tokens
    }

    /// The text of `tokens`, skipping special and timestamp tokens.
    public func decode(_ tokens: [Int]) -> String {
        String(decoding: tokens.lazy.filter { $0 < firstSpecial }.flatMap { pieces[$0] ?? [] }, as: UTF8.self)
    }

    /// Whether `token`'s text begins with a space: in Whisper's vocabulary such a token starts a new word.
    public func startsWithSpace(_ token: Int) -> Bool { token < firstSpecial && pieces[token]?.first == UInt8(ascii: " ") }

    /// The id of a special token by name (`<|en|>`, `<|endoftext|>`), or nil if the vocabulary has none.
    public func token(for special: String) -> Int? { specials[special] }

    /// The bytes of `tokens`, special tokens as their names (timestamps, which have none, as nothing).
    func bytes(of tokens: some Sequence<Int>) -> [UInt8] { tokens.flatMap { pieces[$0] ?? [] } }

    /// The merge table of `merges` ("left right" strings or [left, right] pairs), in vocabulary ids.
    private static func encoder(vocabulary: [String: Int], merges: [Any], path: String) throws -> BytePairEncoder {
        let byteTokens = try ByteAlphabet.characters.map { character in
            guard let id = vocabulary[String(character)] else {
                throw TokenizerError("\(path): the vocabulary has no token for byte character '\(character)'")
            }
            return id
        }
        var table: [BytePairEncoder.Pair: BytePairEncoder.Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, entry) in merges.enumerated() {
            let parts = (entry as? String)?.split(separator: " ", omittingEmptySubsequences: false).map(String.init) ?? entry as? [String]
            guard let parts, parts.count == 2, let left = vocabulary[parts[0]], let right = vocabulary[parts[1]],
                let merged = vocabulary[parts[0] + parts[1]]
            else { throw TokenizerError("\(path): merge \(rank) (\(entry)) is not a pair of vocabulary tokens") }
            let pair = BytePairEncoder.Pair(left: left, right: right)
            if table[pair] == nil { table[pair] = BytePairEncoder.Merge(rank: rank, token: merged) }
        }
        return BytePairEncoder(byteTokens: byteTokens, merges: table)
    }
}

/// A tokenizer file problem.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
