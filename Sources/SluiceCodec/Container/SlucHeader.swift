/// The fixed 28-byte header of a `.sluc` code file (Docs/sluc-format.md); all integers little-endian.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `SLUC` |
/// | 4 | 1 | version (1) |
/// | 5 | 1 | groups |
/// | 6 | 1 | levels |
/// | 7 | 1 | bits per code |
/// | 8 | 4 | sample rate (Hz) |
/// | 12 | 2 | hop (samples per frame) |
/// | 14 | 2 | codebook size |
/// | 16 | 2 | frames per chunk (at most) |
/// | 18 | 2 | reserved, 0 |
/// | 20 | 4 | CRC-32 of bytes 0..<20 |
/// | 24 | 4 | frame count, or 0xFFFFFFFF when written as a live stream (the trailer has it) |
public struct SlucHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("SLUC".utf8)
    public static let version: UInt8 = 1
    public static let size = 28
    /// The frame count of a stream whose end was not known when the header was written.
    public static let unknownFrameCount: UInt32 = 0xFFFF_FFFF
    /// The most codes a chunk may hold (frames per chunk × codes per frame): a reader holds a whole chunk before its
    /// checksum, and the header's fields alone allow 4·10⁹ (8.5 GB of packed codes from a 30-byte file).
    public static let maxChunkCodes = 1 << 24

    public var groups: Int
    public var levels: Int
    public var codebookSize: Int
    public var sampleRate: Int
    public var hop: Int
    public var framesPerChunk: Int
    /// Total frames, nil when the header was written before the stream ended.
    public var frameCount: Int?

    public init(
        groups: Int, levels: Int, codebookSize: Int, sampleRate: Int, hop: Int, framesPerChunk: Int = 50,
        frameCount: Int? = nil
    ) {
        self.groups = groups
        self.levels = levels
        self.codebookSize = codebookSize
        self.sampleRate = sampleRate
        self.hop = hop
        self.framesPerChunk = framesPerChunk
        self.frameCount = frameCount
    }

    public var codesPerFrame: Int { groups * levels }
    /// Bits of one packed code: enough for codebookSize − 1.
    public var bitsPerCode: Int { Int.bitWidth - (codebookSize - 1).leadingZeroBitCount }
    /// Bytes of a chunk's packed codes for `frames` frames (padded to a whole byte).
    public func payloadBytes(frames: Int) -> Int { (frames * codesPerFrame * bitsPerCode + 7) / 8 }
    /// Bits per second of the packed codes, without framing.
    public var bitrate: Double { Double(sampleRate) / Double(hop) * Double(codesPerFrame * bitsPerCode) }

    /// The 28 header bytes.
    public func encoded() -> [UInt8] {
        var bytes = Self.magic + [Self.version, UInt8(groups), UInt8(levels), UInt8(bitsPerCode)]
        bytes += LittleEndian.bytes(UInt32(sampleRate)) + LittleEndian.bytes(UInt16(hop))
        bytes += LittleEndian.bytes(UInt16(codebookSize)) + LittleEndian.bytes(UInt16(framesPerChunk)) + [0, 0]
        bytes += LittleEndian.bytes(CRC32.checksum(bytes))
        bytes += LittleEndian.bytes(frameCount.map(UInt32.init) ?? Self.unknownFrameCount)
        return bytes
    }

    /// Parses and checks the 28 header bytes; errors say which field is wrong.
    public init(decoding bytes: [UInt8]) throws(SlucError) {
        if bytes.count >= 4, Array(bytes[0..<4]) != Self.magic { throw .notSluc(found: Array(bytes[0..<4])) }
        guard bytes.count == Self.size else { throw .truncated(offset: bytes.count, what: "the 28-byte header") }
        guard bytes[4] == Self.version else { throw .corrupt(offset: 4, what: "version \(bytes[4]) (this reader knows version 1)") }
        let stored = LittleEndian.uint32(bytes, at: 20)
        guard stored == CRC32.checksum(Array(bytes[0..<20])) else { throw .corrupt(offset: 20, what: "header checksum mismatch") }
        groups = Int(bytes[5])
        levels = Int(bytes[6])
        sampleRate = Int(LittleEndian.uint32(bytes, at: 8))
        hop = Int(LittleEndian.uint16(bytes, at: 12))
        codebookSize = Int(LittleEndian.uint16(bytes, at: 14))
        framesPerChunk = Int(LittleEndian.uint16(bytes, at: 16))
        let count = LittleEndian.uint32(bytes, at: 24)
        frameCount = count == Self.unknownFrameCount ? nil : Int(count)
        guard groups > 0, levels > 0, sampleRate > 0, hop > 0, codebookSize > 1, framesPerChunk > 0,
            Int(bytes[7]) == bitsPerCode
        else {
            throw .corrupt(
                offset: 5,
                what:
                    "header fields out of range (groups \(groups), levels \(levels), bits \(bytes[7]), sample rate \(sampleRate), hop \(hop), codebook size \(codebookSize), frames per chunk \(framesPerChunk))"
            )
        }
        guard framesPerChunk * codesPerFrame <= Self.maxChunkCodes else {
            throw .corrupt(
                offset: 16,
                what: "chunks of up to \(framesPerChunk) frames × \(codesPerFrame) codes exceed the \(Self.maxChunkCodes) codes a chunk may hold")
        }
    }
}

/// Little-endian integer bytes.
enum LittleEndian {
    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << ($1 * 8) }
    }
}
