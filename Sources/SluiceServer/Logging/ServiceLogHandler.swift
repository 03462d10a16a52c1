import Foundation
import Logging
import SluiceWhisper
import Synchronization

/// How `sluice serve` writes its log lines on stderr (`--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `TIME LEVEL MESSAGE key=value …`, for people.
    case text
    /// One JSON object a line (`time`, `level`, `message`, then the metadata), for log collectors.
    case json
}

/// A swift-log handler that writes each entry as one line on stderr, as text or JSON.
///
/// - Metadata keys are written sorted, so lines of one kind line up.
/// - In JSON, metadata that swift-log holds as numbers (`.stringConvertible` of an integer or a finite
///   floating-point value) is written as numbers; everything else as strings.
public struct ServiceLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let format: LogFormat

    public init(format: LogFormat) {
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        all.merge(event.metadata ?? [:]) { _, new in new }
        let line = Self.line(
            format: format, time: Date(), level: event.level, message: event.message.description, metadata: all)
        Self.write(line)
    }

    /// Writes one of the service's own messages (`sluice: serving on …`) as a `notice` line.
    public func log(notice message: String) {
        Self.write(Self.line(format: format, time: Date(), level: .notice, message: message, metadata: metadata))
    }

    /// One log line (with its newline).
    static func line(format: LogFormat, time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let stamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(time)
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            let pairs = keys.map { "\($0)=\(textValue(metadata[$0]!))" }
            return ([stamp, level.rawValue, message] + pairs).joined(separator: " ") + "\n"
        case .json:
            var members: [(String, String)] = [("time", quote(stamp)), ("level", quote(level.rawValue)), ("message", quote(message))]
            for key in keys where !["time", "level", "message"].contains(key) { members.append((key, jsonValue(metadata[key]!))) }
            return "{" + members.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}\n"
        }
    }

    private static func textValue(_ value: Logger.Metadata.Value) -> String {
        let text = value.description
        return text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) ? quote(text) : text
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .stringConvertible(let number as any BinaryInteger): "\(number)"
        case .stringConvertible(let number as Double) where number.isFinite: "\(number)"
        case .array(let items): "[" + items.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let members): "{" + members.keys.sorted().map { "\(quote($0)):\(jsonValue(members[$0]!))" }.joined(separator: ",") + "}"
        default: quote(value.description)
        }
    }

    /// `text` as a JSON string (the escaping every JSON line of the project uses).
    static func quote(_ text: String) -> String { JSONText.string(text).serialized }

    private static let lock = Mutex(())

    /// Writes `line` to stderr whole, lines from other threads never interleaved with it.
    private static func write(_ line: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
