import Foundation
import SluiceSSM

/// Measures the per-row cost of step-mode forecasting at growing history lengths, single channel.
public enum StreamingCost {
    /// One measurement: the rows of history before it, the mean time per row over the measured block, and the
    /// process's resident memory after it.
    public struct Sample: Sendable, Codable {
        public var history: Int
        public var microsecondsPerRow: Double
        public var rowsPerSecond: Double
        public var residentBytes: Int
    }

    /// Steps a synthetic series through `forecaster` for `rows` rows, timing a block of `block` rows ending at each
    /// of `checkpoints` (which must be ≥ block). `steps` forecast values are computed per row.
    public static func measure(_ forecaster: S4DForecaster, rows: Int, checkpoints: [Int], block: Int, steps: Int) -> [Sample] {
        var state = forecaster.makeState()
        var samples = [Sample]()
        var blockStart = DispatchTime.now().uptimeNanoseconds
        var sink: Float = 0
        for row in 1...rows {
            if checkpoints.contains(row + block) { blockStart = DispatchTime.now().uptimeNanoseconds }
            let value = Float(sin(Double(row) * 0.26) + 0.1 * sin(Double(row) * 0.013))
            if let forecast = forecaster.step(value, state: &state, steps: steps) { sink += forecast[0] }
            if checkpoints.contains(row) {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - blockStart) / 1e9
                samples.append(Sample(history: row, microsecondsPerRow: seconds / Double(block) * 1e6,
                                      rowsPerSecond: Double(block) / seconds, residentBytes: residentBytes()))
            }
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
