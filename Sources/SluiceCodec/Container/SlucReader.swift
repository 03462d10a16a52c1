import Foundation

/// Reads a `.sluc` stream chunk by chunk, checking every field and checksum; errors name the byte offset and frame.
public struct SlucReader {
    public let header: SlucHeader
    /// Frames read so far.
    public private(set) var frames = 0
    /// Bytes consumed so far.
    public private(set) var offset = 0
    private let read: (Int) throws -> [UInt8]
    private var ended = false

    /// Reads the header through `read`, which returns up to the asked number of bytes (fewer only at the end).
    public init(read: @escaping (Int) throws -> [UInt8]) throws {
        self.read = read
        header = try SlucHeader(decoding: try read(SlucHeader.size))
        offset = SlucHeader.size
    }

    /// A reader over bytes in memory.
    public init(bytes: [UInt8]) throws {
        var position = 0
        try self.init(read: { count in
            let end = min(bytes.count, position + count)
            defer { position = end }
            return Array(bytes[position..<end])
        })
    }

    /// A reader over a file (`-` for stdin).
    public init(path: String) throws {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: path) else { throw SlucFileError("\(path): cannot open for reading") }
            handle = file
        }
        try self.init(read: { count in
            var bytes: [UInt8] = []
            while bytes.count < count {
                guard let data = try handle.read(upToCount: count - bytes.count), !data.isEmpty else { break }
                bytes += data
            }
            return bytes
        })
    }

    /// The codes of the next chunk ([frames × codesPerFrame]), or nil after the trailer.
    public mutating func nextChunk() throws -> [Int32]? {
        guard !ended else { return nil }
        let start = offset
        let countBytes = try exactly(2, "the frame count of the chunk at frame \(frames)")
        let count = Int(LittleEndian.uint16(countBytes, at: 0))
        if count == 0 {
            try readTrailer(start: start, countBytes: countBytes)
            return nil
        }
        guard count <= header.framesPerChunk else {
            throw SlucError.corrupt(offset: start, what: "chunk at frame \(frames) claims \(count) frames (at most \(header.framesPerChunk))")
        }
        let payload = try exactly(header.payloadBytes(frames: count), "the codes of frames \(frames)..<\(frames + count)")
        let stored = LittleEndian.uint32(try exactly(4, "the checksum of the chunk at frame \(frames)"), at: 0)
        guard stored == CRC32.checksum(countBytes + payload) else {
            throw SlucError.corrupt(offset: start, what: "checksum mismatch in the chunk of frames \(frames)..<\(frames + count)")
        }
        let codes = CodePacking.unpack(payload, count: count * header.codesPerFrame, bits: header.bitsPerCode)
        if let bad = codes.firstIndex(where: { $0 >= header.codebookSize }) {
            throw SlucError.corrupt(
                offset: start,
                what: "code \(codes[bad]) in frame \(frames + bad / header.codesPerFrame) is not below the codebook size \(header.codebookSize)")
        }
        frames += count
        return codes
    }

    /// Every remaining code frame, to the trailer.
    public mutating func readAll() throws -> [Int32] {
        var codes: [Int32] = []
        while let chunk = try nextChunk() { codes += chunk }
        return codes
    }

    private mutating func readTrailer(start: Int, countBytes: [UInt8]) throws {
        let total = try exactly(4, "the trailer's frame count after frame \(frames)")
        let stored = LittleEndian.uint32(try exactly(4, "the trailer's checksum"), at: 0)
        guard stored == CRC32.checksum(countBytes + total) else { throw SlucError.corrupt(offset: start, what: "trailer checksum mismatch") }
        let count = Int(LittleEndian.uint32(total, at: 0))
        guard count == frames else {
            throw SlucError.corrupt(offset: start + 2, what: "the trailer says \(count) frames, the chunks hold \(frames)")
        }
        if let declared = header.frameCount, declared != frames {
            throw SlucError.corrupt(offset: 24, what: "the header says \(declared) frames, the chunks hold \(frames)")
        }
        let extra = try read(1)
        guard extra.isEmpty else { throw SlucError.corrupt(offset: offset, what: "bytes after the trailer") }
        ended = true
    }

    private mutating func exactly(_ count: Int, _ what: String) throws -> [UInt8] {
        let bytes = try read(count)
        offset += bytes.count
        guard bytes.count == count else { throw SlucError.truncated(offset: offset, what: what) }
        return bytes
    }
}

/// A `.sluc` file could not be opened or written; one line naming it.
public struct SlucFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
