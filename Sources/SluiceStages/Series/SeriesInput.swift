import Foundation
import SluiceCore
import SluiceSeries

/// The `series` input: CSV (with a header) or JSON Lines from a file or stdin, emitted as rows arrive.
public enum SeriesInput {
    public static let type = SourceType(
        name: "series",
        summary: "Time-series rows from CSV (header; optional first timestamp column) or JSON Lines, file or stdin.",
        options: SeriesInputSettings.options.specs,
        declaredFormat: { options in
            .series(SeriesFormat(channels: try SeriesInputSettings.options.settings(options).channels.map(channelList)))
        },
        open: { options in try SeriesSource(SeriesInputSettings.options.settings(options)) })

    /// The `channels` option's names: each once, at most `SeriesLimits.maxChannels`.
    static func channelList(_ list: String) throws -> [String] {
        let names = SeriesFormatRules.names(list)
        guard names.count <= SeriesLimits.maxChannels else {
            throw OptionProblem("channels: \(names.count) names, more than the limit of \(SeriesLimits.maxChannels)")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw OptionProblem("channels: '\(SeriesLimits.echo(name))' is named twice")
        }
        return names
    }
}

/// Reads rows line by line; each read's complete lines become one packet.
final class SeriesSource: Source {
    let format: StreamFormat
    private let reader: LineReader
    private var parse: (String, Int) throws -> SeriesRowParser.Row
    private let skipBadRows: Bool
    private var firstLines: [InputLine]
    private var position: Int64 = 0
    private var skipped = 0
    private var firstSkip: String?

    init(_ settings: SeriesInputSettings) throws {
        reader = try LineReader(path: settings.path)
        skipBadRows = settings.onError == .skip
        let missing = settings.missing
        firstLines = try reader.next()
        guard let firstLine = firstLines.first else { throw SeriesInputError(row: nil, message: "\(reader.name): no input") }
        let first = try firstLine.validText()
        if settings.format == .csv {
            var header = firstLine, dialect = settings.delimiter.dialect
            if let named = CSVDialect.separatorLine(first) {  // Excel's `sep=;` line before the header
                firstLines.removeFirst()
                if firstLines.isEmpty { firstLines = try reader.next() }
                guard let next = firstLines.first else { throw SeriesInputError(row: nil, message: "\(reader.name): no header after the sep= line") }
                header = next
                dialect = dialect ?? named
            }
            var parser = try SeriesRowParser(header: try header.validText(), missing: missing, dialect: dialect, row: header.number)
            format = .series(SeriesFormat(channels: parser.channels))
            parse = { try parser.parse($0, row: $1) }
            firstLines.removeFirst()
        } else {
            let channels = try settings.channels.map(SeriesInput.channelList) ?? JSONLRowParser.channels(ofFirst: first)
            var parser = JSONLRowParser(channels: channels, missing: missing)
            format = .series(SeriesFormat(channels: channels))
            parse = { try parser.parse($0, row: $1) }
        }
    }

    func read(emit: Emit) throws -> Bool {
        let lines = firstLines.isEmpty ? try reader.next() : firstLines
        firstLines = []
        guard !lines.isEmpty else {
            if skipped > 0 {
                try? FileHandle.standardError.write(contentsOf: Data("sluice: input: skipped \(skipped) bad row(s); first: \(firstSkip!)\n".utf8))
            }
            return false
        }
        var values = [Float](), timestamps = [String]()
        for line in lines {
            guard line.text?.allSatisfy(\.isWhitespace) != true else { continue }  // blank lines count as rows but carry none
            do {
                let parsed = try parse(try line.validText(), line.number)
                values += parsed.values
                if let timestamp = parsed.timestamp { timestamps.append(timestamp) }
            } catch let error as SeriesInputError where skipBadRows {
                skipped += 1
                if firstSkip == nil { firstSkip = error.description }
            }
        }
        let frames = values.count / max(format.valuesPerFrame ?? 1, 1)
        guard frames > 0 else { return true }
        var packet = Packet(position: position, frames: frames, data: values)
        packet.text = timestamps.count == frames ? timestamps : []
        try emit(packet)
        position += Int64(frames)
        return true
    }

    /// Ends the stream promptly: the reader stops waiting for input.
    func requestStop() { reader.requestStop() }
}

/// What a `series` input's options set.
struct SeriesInputSettings: Sendable {
    enum Format: String, Sendable, CaseIterable { case csv, jsonl }
    enum OnError: String, Sendable, CaseIterable { case fail, skip }
    enum Delimiter: String, Sendable, CaseIterable {
        case auto, comma, semicolon, tab, pipe

        /// nil: told from the header (or an Excel `sep=` line).
        var dialect: CSVDialect? {
            switch self {
            case .auto: nil
            case .comma: .comma
            case .semicolon: CSVDialect(delimiter: UInt8(ascii: ";"))
            case .tab: CSVDialect(delimiter: UInt8(ascii: "\t"))
            case .pipe: CSVDialect(delimiter: UInt8(ascii: "|"))
            }
        }
    }

    var path = "-"
    var format: Format = .csv
    var delimiter: Delimiter = .auto
    var channels: String?
    var missing: SeriesRowParser.MissingPolicy = .previous
    var onError: OnError = .fail

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("path", \.path, help: "file path, or - for stdin"),
            .choice("format", \.format, help: "CSV with a header row, or one JSON object a line"),
            .choice(
                "delimiter", \.delimiter,
                help: "CSV: the field separator; auto takes the one the header uses most (a semicolon also allows decimal commas)"),
            .string("channels", \.channels, help: "JSONL: comma-separated value fields (default: the first record's non-timestamp keys)"),
            .choice("missing", \.missing, help: "an empty cell: keep (NaN), previous (repeat the channel's last value), error"),
            .choice("on_error", \.onError, help: "a bad row (non-numeric, wrong column count): fail with its row number, or skip and count it"),
        ])
}
