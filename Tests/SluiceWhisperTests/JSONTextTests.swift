import Testing

@testable import SluiceWhisper

@Suite struct JSONTextTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let text = "q\"b\\n\nr\rt\tb\u{8}f\u{C}nul\u{0}us\u{1F}del\u{7F} é 東京 🎉 \u{2028}"
        #expect(JSONText.string(text).serialized == #""q\"b\\n\nr\rt\tb\bf\fnul\u0000us\u001fdel\#u{7F} é 東京 🎉 \#u{2028}""#)
    }

    @Test(arguments: [
        (1.0, 3, "1.0"), (0.1 + 0.2, 3, "0.3"), (2.0625, 3, "2.062"), (-0.00001, 4, "0.0"), (12345.6789, 3, "12345.679"),
        (0.00005, 4, "0.0"), (0.00016, 4, "0.0002"), (-Double.infinity, 4, "null"), (.nan, 3, "null"),
    ])
    func numbersHaveAFixedMostDecimals(value: Double, decimals: Int, text: String) {
        #expect(JSONText.number(value, decimals: decimals).serialized == text)
    }

    @Test func keepsKeyOrder() {
        let object = JSONText.object([("z", .integer(1)), ("a", .array([.integer(-2), .string("x")])), ("m", .object([]))])
        #expect(object.serialized == #"{"z":1,"a":[-2,"x"],"m":{}}"#)
    }
}
