import SluiceCodec
import Testing

/// The `.sluc` container: round trips, and rejection of foreign, truncated and corrupt input.
@Suite struct SlucContainerTests {
    static let header = SlucHeader(groups: 2, levels: 2, codebookSize: 1024, sampleRate: 16000, hop: 320, framesPerChunk: 4)

    /// A file of `frames` frames of pseudo-random codes, and the codes.
    static func file(frames: Int, seed: UInt64 = 7, patchHeader: Bool = true) throws -> (bytes: [UInt8], codes: [Int32]) {
        var state = seed
        let codes = (0..<(frames * 4)).map { _ -> Int32 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int32(truncatingIfNeeded: state >> 33) & 1023
        }
        var bytes: [UInt8] = []
        var writer = try SlucWriter(header: header) { bytes += $0 }
        try writer.append(Array(codes[0..<min(codes.count, 12)]))
        try writer.append(Array(codes[min(codes.count, 12)...]))
        let patched = try writer.finish()
        if patchHeader { bytes.replaceSubrange(0..<SlucHeader.size, with: patched) }
        return (bytes, codes)
    }

    @Test(arguments: [0, 1, 4, 5, 11])
    func roundTrips(frames: Int) throws {
        let (bytes, codes) = try Self.file(frames: frames)
        var reader = try SlucReader(bytes: bytes)
        #expect(reader.header.frameCount == frames)
        #expect(reader.header.bitrate == 2000)
        #expect(try reader.readAll() == codes)
        #expect(reader.frames == frames)
    }

    @Test func liveStreamWithoutPatchedHeaderReads() throws {
        let (bytes, codes) = try Self.file(frames: 9, patchHeader: false)
        var reader = try SlucReader(bytes: bytes)
        #expect(reader.header.frameCount == nil)
        #expect(try reader.readAll() == codes)
    }

    @Test func sizeIsTenBitsPerCodePlusFraming() throws {
        let (bytes, _) = try Self.file(frames: 8)
        // 28-byte header, 2 chunks of (2 + 4 frames × 4 codes × 10 bits / 8 = 20 + 4), 10-byte trailer.
        #expect(bytes.count == 28 + 2 * 26 + 10)
    }

    @Test func foreignFileIsRejected() {
        let wav = Array("RIFF\u{24}\0\0\0WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 40)
        #expect(throws: SlucError.notSluc(found: Array("RIFF".utf8))) { try SlucReader(bytes: wav) }
        #expect(throws: SlucError.self) { try SlucReader(bytes: []) }
    }

    @Test func truncationNamesTheOffset() throws {
        let (bytes, _) = try Self.file(frames: 6)
        for cut in [10, 28, 30, 55, bytes.count - 1] {
            var error: SlucError?
            do {
                var reader = try SlucReader(bytes: Array(bytes[0..<cut]))
                _ = try reader.readAll()
            } catch let caught as SlucError {
                error = caught
            }
            guard case .truncated(let offset, _) = error else {
                Issue.record("cut at \(cut): expected a truncation error, got \(String(describing: error))")
                continue
            }
            #expect(offset == cut)
        }
    }

    @Test func flippedCodeBitFailsTheChunkChecksum() throws {
        var (bytes, _) = try Self.file(frames: 6)
        bytes[28 + 26 + 5] ^= 0x10  // inside the second chunk's codes (frames 4..<6)
        var reader = try SlucReader(bytes: bytes)
        #expect(try reader.nextChunk() != nil)
        #expect(throws: SlucError.corrupt(offset: 54, what: "checksum mismatch in the chunk of frames 4..<6")) {
            _ = try reader.nextChunk()
        }
    }

    @Test func wrongHeaderFrameCountIsCaught() throws {
        var (bytes, _) = try Self.file(frames: 3)
        bytes[24] = 9
        var reader = try SlucReader(bytes: bytes)
        #expect(throws: SlucError.self) { _ = try reader.readAll() }
    }

    @Test func headerAllowingHugeChunksIsRejected() throws {
        // 255 groups × 255 levels × 65535 frames a chunk: 8.5 GB of codes that a reader of stdin would hold.
        let huge = SlucHeader(groups: 255, levels: 255, codebookSize: 65535, sampleRate: 16000, hop: 320, framesPerChunk: 65535)
        let error = #expect(throws: SlucError.self) { try SlucReader(bytes: huge.encoded() + [0xFF, 0xFF]) }
        #expect(
            error?.description
                == "corrupt .sluc file at byte 16: chunks of up to 65535 frames × 65025 codes exceed the 16777216 codes a chunk may hold")
        // A 16 × 16 quantizer with the longest chunks the header can declare stays within the bound.
        var within = huge
        (within.groups, within.levels) = (16, 16)
        #expect(try SlucReader(bytes: within.encoded()).header.codesPerFrame == 256)
    }

    @Test func randomMutationsNeverCrash() throws {
        let (original, codes) = try Self.file(frames: 13)
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var rejected = 0
        for _ in 0..<3000 {
            var bytes = original
            switch next(4) {
            case 0: for _ in 0...next(3) { bytes[next(bytes.count)] ^= UInt8(1 << next(8)) }
            case 1: bytes[next(bytes.count)] = UInt8(next(256))
            case 2: bytes.removeSubrange(next(bytes.count)..<bytes.count)
            default: bytes.insert(UInt8(next(256)), at: next(bytes.count))
            }
            do {
                var reader = try SlucReader(bytes: bytes)
                let decoded = try reader.readAll()
                // A mutation that slips past every check must at least give well-formed codes.
                #expect(decoded.count % 4 == 0 && decoded.allSatisfy { (0..<1024).contains($0) })
                if decoded != codes { Issue.record("a mutated file read as different codes without an error") }
            } catch is SlucError {
                rejected += 1
            }
        }
        #expect(rejected > 2900)
    }
}
