import CZlib

/// How well `text` compresses: its UTF-8 length over its zlib-compressed length (default level 6).
///
/// The reference's repetition check: a decoded window whose ratio is above 2.4 is retried at a higher
/// temperature. Empty text compresses to 8 bytes, so its ratio is 0.
public func compressionRatio(_ text: String) -> Double {
    let bytes = Array(text.utf8)
    var compressedLength = compressBound(uLong(bytes.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
    let status = compress(&compressed, &compressedLength, bytes, uLong(bytes.count))
    precondition(status == Z_OK, "zlib compress failed (\(status)) with a buffer of compressBound bytes")
    return Double(bytes.count) / Double(compressedLength)
}
