import FuzzSupport
import SluiceCodec

/// `.sluc` code files (`SlucReader`, `SlucHeader`): the input is a whole file, read chunk by chunk to the trailer or to
/// an error, once from memory and once by path (the `codec decode` route, through `FileHandle`). Every code returned
/// must be below the header's codebook size, and both routes must agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSluc(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    let fromMemory = codes(try SlucReader(bytes: Array(bytes)))
    let fromFile = codes(try SlucReader(path: ScratchFile.write(bytes)))
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
