/// One slice of a batch: the inputs whose path hashes to `index` out of `count`.
///
/// The hash is FNV-1a (64-bit) of the input's path relative to its root, so every process, machine
/// and run puts an input in the same shard, and the shards of one count are disjoint and cover all
/// inputs.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 0-based.
    public let index: Int
    public let count: Int

    /// A 0-based `index` out of `count`; throws when it is out of range.
    public init(index: Int, count: Int) throws(BatchError) {
        guard count >= 1 else { throw BatchError("the shard count must be at least 1, got \(count)") }
        guard (0..<count).contains(index) else {
            throw BatchError("shard index \(index) (0-based) is outside 0..<\(count)")
        }
        self.index = index
        self.count = count
    }

    /// The whole batch.
    public static let all = try! Shard(index: 0, count: 1)

    /// `i/N` with a 1-based `i`, as `--shard` takes it.
    public static func parse(_ text: String) throws(BatchError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else {
            throw BatchError("--shard '\(text)': expected I/N with 1 <= I <= N, e.g. 2/8")
        }
        guard count >= 1, (1...count).contains(number) else {
            throw BatchError("--shard '\(text)': I must be in 1...N (1-based), e.g. 1/\(max(count, 1))")
        }
        return try Shard(index: number - 1, count: count)
    }

    /// Whether the input at `relativePath` belongs to this shard.
    public func contains(_ relativePath: String) -> Bool {
        count == 1 || Int(Self.fnv1a(relativePath) % UInt64(count)) == index
    }

    /// The 1-based form, `2/8`.
    public var description: String { "\(index + 1)/\(count)" }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
