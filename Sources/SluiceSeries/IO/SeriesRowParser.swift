import Foundation

/// Parses CSV rows of a series after its header: an optional leading timestamp column and numeric channels.
///
/// Cells follow RFC 4180 quoting (`CSVFields`) with the header's delimiter (``CSVDialect``); a byte-order mark
/// before the header is dropped (Excel and Grafana write one). A first column named like a time, or not named
/// at all (pandas writes its index so), holds the timestamps. A row with the wrong number of cells or a non-numeric cell is an
/// error naming the row (1-based, counting the header), quoting at most the cell's first characters. An empty
/// cell follows the missing-value policy.
public struct SeriesRowParser: Sendable {
    /// What an empty cell becomes.
    public enum MissingPolicy: String, Sendable, CaseIterable {
        /// Kept as NaN.
        case keep
        /// The channel's previous value (0 before any).
        case previous
        /// An error.
        case error
    }

    /// One parsed row.
    public struct Row: Sendable {
        public var timestamp: String?
        public var values: [Float]
    }

    public let channels: [String]
    public let hasTimestamp: Bool
    public let dialect: CSVDialect
    public let missing: MissingPolicy
    private var previous: [Float]

    /// Column names a timestamp column may have.
    static let timestampNames: Set<String> = ["date", "datetime", "time", "timestamp", "ts"]

    /// Reads the header (row `row`, 1 unless a `sep=` line came first): RFC 4180 quoting, at most
    /// `SeriesLimits.maxChannels` value columns, each name once; `dialect` nil tells the delimiter from the header.
    public init(header: String, missing: MissingPolicy, dialect: CSVDialect? = nil, row: Int = 1) throws {
        let header = CSVDialect.withoutByteOrderMark(header)
        let dialect = dialect ?? CSVDialect.detect(header: header)
        let (cells, count) = try CSVFields.split(header, row: row, keep: SeriesLimits.maxChannels + 1, dialect: dialect)
        let names = cells.map { $0.trimmingCharacters(in: .whitespaces) }
        hasTimestamp = names.first.map { $0.isEmpty && count > 1 || Self.timestampNames.contains($0.lowercased()) } ?? false
        let channelCount = count - (hasTimestamp ? 1 : 0)
        guard channelCount <= SeriesLimits.maxChannels else {
            throw SeriesInputError(
                row: row, message: "the header has \(channelCount) value columns, more than the limit of \(SeriesLimits.maxChannels)")
        }
        var firstColumn = [String: Int]()
        for (index, name) in names.enumerated() {
            if let first = firstColumn[name] {
                throw SeriesInputError(
                    row: row, message: "the header names column \(first + 1) and column \(index + 1) both '\(SeriesLimits.echo(name))'")
            }
            firstColumn[name] = index
        }
        channels = Array(names.dropFirst(hasTimestamp ? 1 : 0))
        guard !channels.isEmpty else { throw SeriesInputError(row: row, message: "the header names no value column") }
        self.dialect = dialect
        self.missing = missing
        previous = [Float](repeating: 0, count: channels.count)
    }

    /// Parses one data line; `row` is its 1-based line number for messages.
    public mutating func parse(_ line: String, row: Int) throws -> Row {
        let expected = channels.count + (hasTimestamp ? 1 : 0)
        let (cells, count) = try CSVFields.split(line, row: row, keep: expected, dialect: dialect)
        guard count == expected else {
            throw SeriesInputError(row: row, message: "expected \(expected) columns, found \(count)")
        }
        var values = [Float](repeating: 0, count: channels.count)
        for (index, cell) in cells.dropFirst(hasTimestamp ? 1 : 0).enumerated() {
            let text = cell.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text == "NaN" || text == "nan" {
                switch missing {
                case .keep: values[index] = .nan
                case .previous: values[index] = previous[index]
                case .error: throw SeriesInputError(row: row, message: "missing value in column '\(SeriesLimits.echo(channels[index]))'")
                }
            } else if let value = dialect.number(text[...]) {
                values[index] = value
            } else {
                throw SeriesInputError(
                    row: row, message: "column '\(SeriesLimits.echo(channels[index]))': '\(SeriesLimits.echo(text))' is not a number")
            }
        }
        previous = values
        return Row(timestamp: hasTimestamp ? cells[0] : nil, values: values)
    }
}

/// A bad input row or file; `row` is the 1-based line number (the header is row 1).
public struct SeriesInputError: Error, Sendable, CustomStringConvertible {
    public var row: Int?
    public var message: String

    public init(row: Int?, message: String) {
        self.row = row
        self.message = message
    }

    public var description: String { row.map { "row \($0): \(message)" } ?? message }
}
