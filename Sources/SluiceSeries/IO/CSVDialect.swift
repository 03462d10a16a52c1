/// How a CSV file separates its fields and writes its numbers, as spreadsheet programs and data tools export them:
/// pandas and Grafana write commas, Excel in many European locales semicolons with decimal commas (`1,5`), other
/// tools tabs or bars.
public struct CSVDialect: Sendable, Equatable {
    /// The byte between fields.
    public var delimiter: UInt8

    public init(delimiter: UInt8) { self.delimiter = delimiter }

    public static let comma = CSVDialect(delimiter: UInt8(ascii: ","))
    /// The delimiters `detect(header:)` chooses from.
    public static let candidates: [UInt8] = [",", ";", "\t", "|"].map { UInt8(ascii: $0) }

    /// A number may be written with a decimal comma: only where the comma does not separate fields.
    public var allowsDecimalComma: Bool { delimiter != UInt8(ascii: ",") }

    /// The delimiter the header uses most often outside quotes (a comma when it holds none: one column).
    public static func detect(header: String) -> CSVDialect {
        var counts = [UInt8: Int]()
        var quoted = false
        for byte in header.utf8 {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted, candidates.contains(byte) {
                counts[byte, default: 0] += 1
            }
        }
        let best = candidates.max { counts[$0, default: 0] < counts[$1, default: 0] }!
        return counts[best, default: 0] > 0 ? CSVDialect(delimiter: best) : .comma
    }

    /// `line` without the UTF-8 byte-order mark Excel and Grafana put before a file's first line.
    public static func withoutByteOrderMark(_ line: String) -> String {
        line.hasPrefix("\u{FEFF}") ? String(line.dropFirst()) : line
    }

    /// The delimiter an Excel `sep=;` line (the first line, perhaps after a byte-order mark) names, nil for any
    /// other line.
    public static func separatorLine(_ line: String) -> CSVDialect? {
        let line = withoutByteOrderMark(line)
        let bytes = Array(line.utf8)
        guard bytes.count == 5, line.hasPrefix("sep="), let last = bytes.last, last != UInt8(ascii: "\"") else { return nil }
        return CSVDialect(delimiter: last)
    }

    /// `text` as a number: the usual spellings, and `1,5` (one comma, no point) where the dialect allows a
    /// decimal comma. Nil when it is not a finite number.
    public func number(_ text: Substring) -> Float? {
        if let value = Float(text), value.isFinite { return value }
        guard allowsDecimalComma, text.firstIndex(of: ",") == text.lastIndex(of: ","), !text.contains(".") else { return nil }
        guard let value = Float(String(text.map { $0 == "," ? "." : $0 })), value.isFinite else { return nil }
        return value
    }
}
