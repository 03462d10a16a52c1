import Foundation
import SluiceCore
import SluiceSeries

/// Checks shared by the series stages.
enum SeriesFormatRules {
    /// The channel names of a series input (nil while the input's header is unknown, at validation).
    static func channels(_ format: StreamFormat, stage: String) throws -> [String]? {
        guard case .series(let series) = format else {
            throw FormatMismatch("\(stage) needs a series, gets \(format)", suggestedConverter: "{ type: series } input")
        }
        return series.channels
    }

    /// Names from a comma-separated option, trimmed.
    static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Loads a forecast model named by a stage option, as a configuration error when it cannot.
    static func model(_ name: String) throws -> ForecastModel {
        do {
            return try ForecastModel(resolving: name)
        } catch {
            throw OptionProblem("model: \(error)")
        }
    }
}
