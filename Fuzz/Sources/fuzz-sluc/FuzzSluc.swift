import FuzzSupport

@testable import SluiceCodec

/// `.sluc` code files (`SlucReader`, `SlucHeader`): the input is a mode byte, then a whole file, read chunk by chunk to
/// the trailer or to an error, once from memory and once by path (the `codec decode` route, through `FileHandle`).
/// Every code returned must be below the header's codebook size, and both routes must agree.
///
/// Mode bit 0 rewrites the header's checksum, bit 1 also each chunk's and the trailer's, so that mutations get past
/// the CRC-32 checks into the fields behind them (a fuzzer does not find a matching checksum by chance).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSluc(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    var bytes = Array(input.bytes)
    if mode & 1 != 0 { repairChecksums(&bytes, chunks: mode & 2 != 0) }
    let fromMemory = codes(try SlucReader(bytes: bytes))
    let fromFile = codes(try SlucReader(path: bytes.withUnsafeBytes { ScratchFile.write($0) }))
    expect(fromMemory == fromFile, "reading from memory gives \(fromMemory.map(\.count) ?? -1) codes, from a file \(fromFile.map(\.count) ?? -1)")
    return 0
}

/// The codes up to the first error (nil when the header is rejected).
func codes(_ open: @autoclosure () throws -> SlucReader) -> [Int32]? {
    guard var reader = try? open() else { return nil }
    let header = reader.header
    var all: [Int32] = []
    while let chunk = try? reader.nextChunk() {
        expect(chunk.count % header.codesPerFrame == 0, "a chunk of \(chunk.count) codes, \(header.codesPerFrame) per frame")
        expect(chunk.allSatisfy { $0 >= 0 && $0 < header.codebookSize }, "a code outside 0..<\(header.codebookSize)")
        all += chunk
    }
    return all
}

/// Writes the CRC-32 that each checksum field of `bytes` should hold, as far as the framing can be followed.
func repairChecksums(_ bytes: inout [UInt8], chunks: Bool) {
    guard bytes.count >= SlucHeader.size else { return }
    put(CRC32.checksum(Array(bytes[0..<20])), at: 20, in: &bytes)
    guard chunks, let header = try? SlucHeader(decoding: Array(bytes[0..<SlucHeader.size])) else { return }
    var offset = SlucHeader.size
    while offset + 2 <= bytes.count {
        let count = Int(LittleEndian.uint16(bytes, at: offset))
        let checked = count == 0 ? 6 : 2 + header.payloadBytes(frames: count)  // the trailer: count 0, then its frame count
        guard count <= header.framesPerChunk, offset + checked + 4 <= bytes.count else { return }
        put(CRC32.checksum(Array(bytes[offset..<offset + checked])), at: offset + checked, in: &bytes)
        if count == 0 { return }
        offset += checked + 4
    }
}

func put(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    bytes.replaceSubrange(offset..<offset + 4, with: LittleEndian.bytes(value))
}
