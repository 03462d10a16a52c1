import Foundation
import Testing

@testable import SluiceSeries

@Suite("Series line reading")
struct LineReaderTests {
    /// Writes `bytes` to a temporary file and reads all its lines.
    static func read(_ bytes: [UInt8]) throws -> [InputLine] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-lines-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LineReader(path: path)
        var lines = [InputLine]()
        while case let next = try reader.next(), !next.isEmpty { lines += next }
        return lines
    }

    /// Lines are numbered from 1 across reads; CR before LF is dropped; bytes that are not UTF-8 give no text.
    @Test func numbersLinesAndMarksInvalidUTF8() throws {
        let lines = try Self.read(Array("a,b\r\n1,2\n".utf8) + [0xFF, 0x0A] + Array("3,4".utf8))
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.text) == ["a,b", "1,2", nil, "3,4"])
        #expect(throws: SeriesInputError(row: 3, message: "the line is not UTF-8 text")) { try lines[2].validText() }
    }

    /// A line over `SeriesLimits.maxLineBytes` fails with its number, whether it ends or not; one at the limit passes.
    @Test func overlongLinesFail() throws {
        let atLimit = try Self.read(Array("h\n".utf8) + [UInt8](repeating: 0x37, count: SeriesLimits.maxLineBytes) + [0x0A])
        #expect(atLimit.count == 2 && atLimit[1].text?.utf8.count == SeriesLimits.maxLineBytes)
        let error = SeriesInputError(row: 2, message: "line longer than 1048576 bytes (the limit for one row)")
        #expect(throws: error) { try Self.read(Array("h\n".utf8) + [UInt8](repeating: 0x37, count: 3 << 20)) }
        #expect(throws: error) { try Self.read(Array("h\n".utf8) + [UInt8](repeating: 0x37, count: SeriesLimits.maxLineBytes + 1) + [0x0A, 0x31]) }
    }
}
