import Foundation
import SluiceCore
import SluiceFiles
import SluiceSeries

/// The `csv` and `jsonl` outputs of series rows, written as they arrive (stdout, or a file committed at the end).
public enum SeriesOutput {
    public static let csv = type(name: "csv", summary: "Write series rows as CSV with a header (timestamp first when present).")
    public static let jsonl = type(name: "jsonl", summary: "Write series rows as JSON Lines, one object per row.")

    private static func type(name: String, summary: String) -> SinkType {
        SinkType(
            name: name,
            summary: summary,
            options: PathOption.output.specs,
            accept: { _, format in _ = try SeriesFormatRules.channels(format, stage: "output '\(name)'") },
            make: { options, format in
                let channels = try SeriesFormatRules.channels(format, stage: "output '\(name)'") ?? []
                let path = PathOption.output.settings(options).value
                return try SeriesSink(path: path == "-" ? nil : path, channels: channels, jsonLines: name == "jsonl")
            })
    }
}

/// Formats rows; a missing value (NaN) is an empty CSV cell or a JSON null.
final class SeriesSink: Sink {
    private let file: AtomicFile?
    private let name: String
    private let channels: [String]
    private let jsonLines: Bool
    private var wroteHeader = false

    init(path: String?, channels: [String], jsonLines: Bool) throws {
        file = try path.map(AtomicFile.init(path:))
        name = path ?? "stdout"
        self.channels = channels
        self.jsonLines = jsonLines
    }

    func consume(_ packet: Packet) throws {
        let hasTime = packet.text.count == packet.frames
        var text = ""
        if !jsonLines && !wroteHeader {
            text = ((hasTime ? ["timestamp"] : []) + channels).map(SeriesSink.csvField).joined(separator: ",") + "\n"
            wroteHeader = true
        }
        let width = channels.count
        for row in 0..<packet.frames {
            let values = (0..<width).map { SeriesSink.number(packet.data[row * width + $0]) }
            if jsonLines {
                var fields = hasTime ? ["\"timestamp\":\"\(SeriesSink.escaped(packet.text[row]))\""] : []
                fields += zip(channels, values).map { "\"\(SeriesSink.escaped($0))\":\($1.isEmpty ? "null" : $1)" }
                text += "{" + fields.joined(separator: ",") + "}\n"
            } else {
                text += ((hasTime ? [SeriesSink.csvField(packet.text[row])] : []) + values).joined(separator: ",") + "\n"
            }
        }
        try Array(text.utf8).withUnsafeBytes { try FileDescriptor.writeAll(file?.descriptor ?? STDOUT_FILENO, $0, name: name) }
    }

    /// The shortest text that reads back as the same Float; whole numbers without ".0"; NaN as "".
    static func number(_ value: Float) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return "\(value)"
    }

    /// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line end.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A string's JSON escaping of quotes, backslashes and control characters.
    static func escaped(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case _ where scalar.value < 0x20: String(format: "\\u%04x", scalar.value)
            default: String(scalar)
            }
        }.joined()
    }

    func finish() throws { try file?.commit() }

    func abort() { file?.discard() }
}
