import Foundation

/// Parses JSON Lines rows of a series: one object per line, `timestamp` (or `time`, `date`, `ts`) and numeric
/// channel fields. The channels are given, or else the first object's non-timestamp keys in sorted order.
public struct JSONLRowParser: Sendable {
    public let channels: [String]
    public let missing: SeriesRowParser.MissingPolicy
    private var previous: [Float]

    public init(channels: [String], missing: SeriesRowParser.MissingPolicy) {
        self.channels = channels
        self.missing = missing
        previous = [Float](repeating: 0, count: channels.count)
    }

    /// The channels of a first record: its keys other than a timestamp, sorted.
    public static func channels(ofFirst line: String) throws -> [String] {
        let object = try Self.object(line, row: 1)
        let names = object.keys.filter { !SeriesRowParser.timestampNames.contains($0.lowercased()) }.sorted()
        guard !names.isEmpty else { throw SeriesInputError(row: 1, message: "the first record has no value field") }
        guard names.count <= SeriesLimits.maxChannels else {
            throw SeriesInputError(
                row: 1, message: "the first record has \(names.count) value fields, more than the limit of \(SeriesLimits.maxChannels)")
        }
        return names
    }

    /// Parses one line; `row` is its 1-based line number.
    public mutating func parse(_ line: String, row: Int) throws -> SeriesRowParser.Row {
        let object = try Self.object(line, row: row)
        let timestamp = object.first { SeriesRowParser.timestampNames.contains($0.key.lowercased()) }.map { "\($0.value)" }
        var values = [Float](repeating: 0, count: channels.count)
        for (index, name) in channels.enumerated() {
            switch object[name] {
            case let number as Double where Float(number).isFinite:
                values[index] = Float(number)
            case nil, is NSNull:
                switch missing {
                case .keep: values[index] = .nan
                case .previous: values[index] = previous[index]
                case .error: throw SeriesInputError(row: row, message: "missing field '\(SeriesLimits.echo(name))'")
                }
            case let other?:
                throw SeriesInputError(row: row, message: "field '\(SeriesLimits.echo(name))': \(SeriesLimits.echo("\(other)")) is not a number")
            }
        }
        previous = values
        return SeriesRowParser.Row(timestamp: timestamp, values: values)
    }

    private static func object(_ line: String, row: Int) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw SeriesInputError(row: row, message: "not a JSON object")
        }
        return object
    }
}
