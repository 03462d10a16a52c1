import SluiceAudio
import Testing

/// Telling, from its first bytes, whether an MP4 can be read from a stream.
@Suite struct MP4LayoutTests {
    /// A box header: 32-bit size, then the type.
    static func box(_ type: String, size: UInt32) -> [UInt8] {
        [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8)
    }

    static let ftyp = box("ftyp", size: 16) + Array("M4A ".utf8) + [0, 0, 2, 0]

    @Test func indexBeforeOrAfterTheMedia() {
        #expect(MP4Layout.of(prefix: Self.ftyp + Self.box("moov", size: 5000)) == .indexFirst)
        #expect(MP4Layout.of(prefix: Self.ftyp + Self.box("free", size: 8) + Self.box("mdat", size: 90000)) == .indexLast)
        // A 64-bit size: 1 in the 32-bit field, the size after the type.
        let wide = Self.box("wide", size: 1) + [0, 0, 0, 0, 0, 0, 0, 16]
        #expect(MP4Layout.of(prefix: Self.ftyp + wide + Self.box("moov", size: 100)) == .indexFirst)
    }

    @Test func moreBytesOrNotAnMP4() {
        #expect(MP4Layout.of(prefix: Array(Self.ftyp.prefix(6))) == nil)
        #expect(MP4Layout.of(prefix: Self.ftyp + Self.box("free", size: 64)) == nil, "the next box header is not there yet")
        #expect(MP4Layout.of(prefix: Array("OggS\0\u{2}\0\0\0\0\0\0".utf8)) == .notMP4)
        #expect(MP4Layout.of(prefix: Self.ftyp + Self.box("junk", size: 3)) == .notMP4, "a box smaller than its header")
    }
}
