/// Byte-level BPE: the bytes of one pre-tokenized piece to token ids, by merge rank.
///
/// Each byte starts as its own token; then, as Hugging Face `tokenizers` does, the adjacent pair with the
/// lowest merge rank (the leftmost among equals) is merged, one at a time, until no pair has a merge.
struct BytePairEncoder: Sendable {
    /// Two adjacent tokens.
    struct Pair: Hashable, Sendable {
        var left: Int
        var right: Int
    }

    /// What merging a pair gives: its rank in the merge list and the merged token.
    struct Merge: Sendable {
        var rank: Int
        var token: Int
    }

    /// The token of each single byte, indexed by byte.
    let byteTokens: [Int]
    let merges: [Pair: Merge]

    /// The tokens of `bytes`.
    func encode(_ bytes: some Sequence<UInt8>) -> [Int] {
        var tokens = bytes.map { byteTokens[Int($0)] }
        while tokens.count > 1 {
            var best: (index: Int, merge: Merge)?
            for index in 0..<(tokens.count - 1) {
                guard let merge = merges[Pair(left: tokens[index], right: tokens[index + 1])] else { continue }
                if merge.rank < best?.merge.rank ?? .max { best = (index, merge) }
            }
            guard let (index, merge) = best else { break }
            tokens[index] = merge.token
            tokens.remove(at: index + 1)
        }
        return tokens
    }
}
