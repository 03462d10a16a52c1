import Foundation
import SluiceSSM

/// Scores a forecast model on an ETT file under the standard protocol.
public enum ForecastEvaluation {
    /// Evaluates `model` on the test split of `table` (read from a file named `fileName`), at the model's horizon.
    ///
    /// Channels are matched by name; the data are scaled with statistics fit on the file's train part.
    public static func evaluate(_ model: ForecastModel, on table: SeriesTable, fileName: String) throws -> ForecastScores {
        let forecaster = model.forecaster
        let split = ETTProtocol(fileName: fileName)
        let (lookback, horizon) = (forecaster.lookback, forecaster.horizon)
        guard table.rows >= split.testEnd else {
            throw SeriesInputError(row: nil, message: "\(fileName): \(table.rows) rows, the ETT protocol needs \(split.testEnd)")
        }
        let columns = try model.config.channels.map { name in
            guard let index = table.channels.firstIndex(of: name) else {
                throw SeriesInputError(
                    row: nil, message: "\(fileName): no column '\(name)' (the model was trained on \(model.config.channels.joined(separator: ",")))")
            }
            return index
        }
        let scaler = split.scaler(of: table)
        let range = split.testRange(lookback: lookback)
        let windows = split.testWindows(lookback: lookback, horizon: horizon)
        var squared = 0.0, absolute = 0.0
        for channel in columns {
            let series = table.column(channel)[range].map { ($0 - scaler.mean[channel]) / scaler.std[channel] }
            var inputs = [Float](repeating: 0, count: windows * lookback)
            for w in 0..<windows { for j in 0..<lookback { inputs[w * lookback + j] = Float(series[w + j]) } }
            let forecasts = forecaster.forecast(windows: inputs, count: windows)
            for w in 0..<windows {
                for t in 0..<horizon {
                    let error = Double(forecasts[w * horizon + t]) - series[w + lookback + t]
                    squared += error * error
                    absolute += abs(error)
                }
            }
        }
        let count = Double(windows * horizon * columns.count)
        return ForecastScores(mse: squared / count, mae: absolute / count, windows: windows)
    }
}
