/// Writes a `.sluc` stream: the header first, then a checksummed chunk every `framesPerChunk` frames (so a live
/// reader gets codes with at most a chunk of delay), then a trailer with the frame count.
public struct SlucWriter {
    public private(set) var header: SlucHeader
    private let write: ([UInt8]) throws -> Void
    private var pending: [Int32] = []
    private var frames = 0

    /// Writes the header (frame count unknown) through `write`.
    public init(header: SlucHeader, write: @escaping ([UInt8]) throws -> Void) throws {
        var header = header
        header.frameCount = nil
        self.header = header
        self.write = write
        try write(header.encoded())
    }

    /// Appends code frames ([frames × codesPerFrame]); writes each chunk as it fills.
    public mutating func append(_ codes: [Int32]) throws {
        precondition(codes.count % header.codesPerFrame == 0, "codes come in whole frames")
        pending += codes
        let chunkCodes = header.framesPerChunk * header.codesPerFrame
        while pending.count >= chunkCodes {
            try writeChunk(Array(pending[0..<chunkCodes]))
            pending.removeFirst(chunkCodes)
        }
    }

    /// Writes the last partial chunk and the trailer; returns the header with the frame count, to patch over
    /// the first 28 bytes where the output can seek.
    public mutating func finish() throws -> [UInt8] {
        if !pending.isEmpty { try writeChunk(pending) }
        pending = []
        let trailer = LittleEndian.bytes(UInt16(0)) + LittleEndian.bytes(UInt32(frames))
        try write(trailer + LittleEndian.bytes(CRC32.checksum(trailer)))
        header.frameCount = frames
        return header.encoded()
    }

    private mutating func writeChunk(_ codes: [Int32]) throws {
        let count = codes.count / header.codesPerFrame
        let body = LittleEndian.bytes(UInt16(count)) + CodePacking.pack(codes, bits: header.bitsPerCode)
        try write(body + LittleEndian.bytes(CRC32.checksum(body)))
        frames += count
    }
}
