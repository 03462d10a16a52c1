/// The standard ETT benchmark protocol (Informer's borders): 12/4/4 months of train/val/test, a scaler fit on
/// the train part, and every test window scored on scaled values.
public struct ETTProtocol: Sendable {
    /// Ends of the train, val and test parts in rows.
    public let trainEnd: Int, valEnd: Int, testEnd: Int

    /// The borders for a file: ETTm files have four rows an hour, the others one.
    public init(fileName: String) {
        let factor = fileName.contains("ETTm") ? 4 : 1
        trainEnd = 8640 * factor
        valEnd = 11520 * factor
        testEnd = 14400 * factor
    }

    /// The test part's row range for a lookback: its first window's lookback starts L rows before the val end.
    public func testRange(lookback: Int) -> Range<Int> { (valEnd - lookback)..<testEnd }

    /// The number of test windows for a lookback and horizon.
    public func testWindows(lookback: Int, horizon: Int) -> Int { testEnd - valEnd - horizon + 1 }

    /// Per-channel mean and population std of the train part.
    public func scaler(of table: SeriesTable) -> (mean: [Double], std: [Double]) {
        let count = table.channels.count
        var mean = [Double](repeating: 0, count: count), std = mean
        for c in 0..<count {
            let values = table.column(c)[0..<trainEnd]
            let m = values.reduce(0, +) / Double(trainEnd)
            mean[c] = m
            std[c] = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(trainEnd)).squareRoot()
        }
        return (mean, std)
    }
}

/// MSE and MAE of a forecaster over every test window, channel and step.
public struct ForecastScores: Sendable, Equatable, Codable {
    public var mse: Double
    public var mae: Double
    public var windows: Int
}
