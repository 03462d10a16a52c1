/// Where an MP4/M4A/MOV file keeps its index (the `moov` box) relative to its media (`mdat`).
///
/// A reader needs the index before the media; when the index comes last (what most recorders and
/// FFmpeg write by default) the file can only be read by seeking, so it cannot come from a stream. Told
/// from the top-level boxes at the start of the file, before any media is read, so that such a stream
/// fails at once instead of after it has been read to its end.
public enum MP4Layout: Equatable, Sendable {
    /// `moov` comes before `mdat`: the file streams.
    case indexFirst
    /// `mdat` comes before `moov`: the file must be read from a seekable file.
    case indexLast
    /// Not an ISO base media file: its first box is not `ftyp` (or a box size is impossible).
    case notMP4

    /// The layout told from the first bytes of a file, or `nil` when they end before it can be told
    /// (more bytes are needed).
    public static func of(prefix bytes: [UInt8]) -> MP4Layout? {
        var offset = 0
        var first = true
        while offset + 8 <= bytes.count {
            var size = UInt64(bigEndian32(bytes, at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if first, type != "ftyp" { return .notMP4 }
            first = false
            switch type {
            case "moov": return .indexFirst
            case "mdat": return .indexLast
            default: break
            }
            if size == 1 {  // a 64-bit size follows the type
                guard offset + 16 <= bytes.count else { return nil }
                size = UInt64(bigEndian32(bytes, at: offset + 8)) << 32 | UInt64(bigEndian32(bytes, at: offset + 12))
            }
            // 0 means "to the end of the file": nothing follows, so neither box comes.
            guard size >= 8, size <= UInt64(Int.max - offset) else { return .notMP4 }
            offset += Int(size)
        }
        return nil
    }

    private static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
