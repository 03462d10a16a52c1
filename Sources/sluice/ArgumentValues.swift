import ArgumentParser
import SluiceAudio
import SluiceSimul
import SluiceStages
import SluiceWhisper

// Enumerations that flags take: help and shell completion list their values.
extension DecodingOptions.Task: ExpressibleByArgument {}
extension StreamingOptions.Encoder: ExpressibleByArgument {}
extension SimulPolicy.Kind: ExpressibleByArgument {}
extension LatencyLevel: ExpressibleByArgument {}
extension AudioInputSettings.Encoding: ExpressibleByArgument {}

/// A `--format` name: one set, the formats' own names (transcripts, streams, translation streams).
struct OutputFormatName: ExpressibleByArgument, ExpressibleByStringLiteral {
    let name: String

    static let all: [String] = {
        var names: [String] = []
        for name in TranscriptFormat.allCases.map(\.rawValue) + StreamTextFormat.allCases.map(\.rawValue) + StreamEventFormat.allCases.map(\.rawValue)
        where !names.contains(name) { names.append(name) }
        return names
    }()

    init?(argument: String) {
        guard Self.all.contains(argument) else { return nil }
        name = argument
    }

    init(stringLiteral name: String) { self.name = name }

    static var allValueStrings: [String] { all }
    var defaultValueDescription: String { name }
}
