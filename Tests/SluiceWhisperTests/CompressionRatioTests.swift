import SluiceWhisper
import Testing

@Suite struct CompressionRatioTests {
    /// Texts with their UTF-8 and zlib-compressed lengths in Python (`len(zlib.compress(s.encode()))`).
    static let cases: [(text: String, length: Double, compressedLength: Double)] = [
        ("", 0, 8),
        ("a", 1, 9),
        ("Hello world", 11, 19),
        (" And so, my fellow Americans: ask not what your country can do for you.", 71, 73),
        ("the the the the the the the the the the the the the the the the the the the the", 79, 15),
        ("naïve café — 東京", 23, 32),
        (String(repeating: "x", count: 1000), 1000, 17),
    ]

    @Test(arguments: cases)
    func matchesPythonsZlib(text: String, length: Double, compressedLength: Double) {
        #expect(compressionRatio(text) == length / compressedLength)
    }
}
