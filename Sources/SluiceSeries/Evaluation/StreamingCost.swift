import Foundation
import SluiceSSM

/// Measures the per-row cost of step-mode forecasting at growing history lengths, single channel.
public enum StreamingCost {
    /// One measurement: the rows of history before it, the time per row over the rows that follow, and the
    /// process's resident memory after them.
    public struct Sample: Sendable, Codable {
        public var history: Int
        public var microsecondsPerRow: Double
        public var rowsPerSecond: Double
        public var residentBytes: Int
    }

    /// Steps a synthetic series through the model's forecaster; once `history` rows have gone by, for each checkpoint, times
    /// the next `block` rows in ten slices and keeps the median slice (robust to other work on a shared machine).
    /// `steps` forecast values are computed per row.
    public static func measure(_ model: ForecastModel, checkpoints: [Int], block: Int, steps: Int) throws -> [Sample] {
        let forecaster = try model.streamingForecaster()
        var state = forecaster.makeState()
        var row = 0
        var sink: Float = 0
        func advance(to end: Int) {
            while row < end {
                row += 1
                let value = Float(sin(Double(row) * 0.26) + 0.1 * sin(Double(row) * 0.013))
                if let forecast = forecaster.step(value, state: &state, steps: steps) { sink += forecast[0] }
            }
        }
        let slice = max(block / 10, 1)
        let samples = checkpoints.sorted().map { history -> Sample in
            advance(to: max(history, forecaster.lookback))
            let times = (0..<10).map { _ -> Double in
                let start = DispatchTime.now().uptimeNanoseconds
                advance(to: row + slice)
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(slice)
            }.sorted()
            let perRow = (times[4] + times[5]) / 2
            return Sample(history: history, microsecondsPerRow: perRow * 1e6, rowsPerSecond: 1 / perRow, residentBytes: residentBytes())
        }
        precondition(sink.isFinite, "forecasts must stay finite")
        return samples
    }

    /// VmRSS from /proc/self/status, in bytes (0 where unavailable).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
