import Foundation

/// A whole CSV series in memory: column names, an optional timestamp column, and values [rows × channels].
/// For evaluation and benchmarks; streams go through `SeriesRowParser` one line at a time.
public struct SeriesTable: Sendable {
    public var channels: [String]
    public var timestamps: [String]
    /// Row-major values, NaN where a cell was empty.
    public var values: [Double]

    public var rows: Int { channels.isEmpty ? 0 : values.count / channels.count }

    public init(channels: [String], timestamps: [String] = [], values: [Double]) {
        self.channels = channels
        self.timestamps = timestamps
        self.values = values
    }

    /// Reads a CSV file with a header (``SeriesRowParser``: delimiter, byte-order mark and timestamp column as it tells).
    public init(csvPath path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw SeriesInputError(row: nil, message: "\(path): cannot read: \(error.localizedDescription)")
        }
        var lines = try LineReader.lines(bytes[...]).makeIterator()
        guard var header = lines.next(), header.text?.isEmpty != true else { throw SeriesInputError(row: nil, message: "\(path): empty file") }
        let named = CSVDialect.separatorLine(try header.validText())
        if named != nil {  // Excel's `sep=;` line before the header
            guard let next = lines.next() else { throw SeriesInputError(row: nil, message: "\(path): no header after the sep= line") }
            header = next
        }
        var parser = try SeriesRowParser(header: try header.validText(), missing: .keep, dialect: named, row: header.number)
        channels = parser.channels
        timestamps = []
        values = []
        values.reserveCapacity(bytes.count / 8)
        while let line = lines.next() {
            let text = try line.validText()
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            let parsed = try parser.parse(text, row: line.number)
            if let timestamp = parsed.timestamp { timestamps.append(timestamp) }
            values += parsed.values.map(Double.init)
        }
    }

    /// The values of one channel.
    public func column(_ channel: Int) -> [Double] {
        stride(from: channel, to: values.count, by: channels.count).map { values[$0] }
    }
}
