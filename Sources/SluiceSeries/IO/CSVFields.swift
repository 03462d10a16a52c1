/// Splits a CSV line into fields by RFC 4180's quoting rules, one line at a time.
///
/// A field that starts with a double quote (after spaces or tabs) runs to its closing quote, may hold delimiters, and
/// writes a quote as two (`"say ""hi"", then go"`); the quotes are removed. Any other field runs to the next
/// delimiter (``CSVDialect``: a comma unless said) as it is. A quoted field cannot span lines, and only spaces may
/// follow its closing quote.
enum CSVFields {
    /// The first `keep` fields of `line` and the count of all of them (fields past `keep` are counted, not built,
    /// so a line of a million commas costs no million strings). `row` names the line in errors.
    static func split(_ line: String, row: Int, keep: Int, dialect: CSVDialect = .comma) throws -> (fields: [String], count: Int) {
        var line = line
        return try line.withUTF8 { bytes in try split(bytes, row: row, keep: keep, delimiter: dialect.delimiter) }
    }

    private static let quote = UInt8(ascii: "\"")

    private static func isBlank(_ byte: UInt8, delimiter: UInt8) -> Bool {
        byte != delimiter && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t"))
    }

    private static func split(
        _ bytes: UnsafeBufferPointer<UInt8>, row: Int, keep: Int, delimiter: UInt8
    ) throws -> (fields: [String], count: Int) {
        var fields = [String]()
        var count = 0
        var i = 0
        while true {
            count += 1
            var start = i
            while start < bytes.count, isBlank(bytes[start], delimiter: delimiter) { start += 1 }
            if start < bytes.count, bytes[start] == quote {
                var content = [UInt8]()
                var j = start + 1
                var closed = false
                while j < bytes.count {
                    if bytes[j] == quote {
                        if j + 1 < bytes.count, bytes[j + 1] == quote {
                            if count <= keep { content.append(quote) }
                            j += 2
                            continue
                        }
                        closed = true
                        j += 1
                        break
                    }
                    if count <= keep { content.append(bytes[j]) }
                    j += 1
                }
                guard closed else {
                    throw SeriesInputError(row: row, message: "column \(count): a quoted field has no closing quote (a field cannot span lines)")
                }
                while j < bytes.count, isBlank(bytes[j], delimiter: delimiter) { j += 1 }
                guard j == bytes.count || bytes[j] == delimiter else {
                    throw SeriesInputError(row: row, message: "column \(count): text after the closing quote of a quoted field")
                }
                if count <= keep { fields.append(String(decoding: content, as: UTF8.self)) }
                i = j
            } else {
                var j = i
                while j < bytes.count, bytes[j] != delimiter { j += 1 }
                if count <= keep { fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)) }
                i = j
            }
            guard i < bytes.count else { return (fields, count) }
            i += 1  // past the delimiter
        }
    }
}
