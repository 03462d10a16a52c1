/// A forecaster of lookback windows: `count` windows [count, lookback] (oldest value first) → [count, horizon].
public protocol WindowForecasting: Sendable {
    var lookback: Int { get }
    var horizon: Int { get }
    func forecast(windows: [Float], count: Int) -> [Float]
}

/// Instance normalisation of windows (RevIN without affine): each window by its own mean and std (population,
/// plus epsilon inside the root), and the inverse for the forecasts.
public struct InstanceNorm: Sendable {
    public let epsilon: Double
    /// Per window: mean and std.
    public private(set) var statistics: [(mean: Double, std: Double)] = []

    /// Normalises `count` windows of `length` values; keeps their statistics for `restore`.
    public init(normalising windows: inout [Float], count: Int, length: Int, epsilon: Double) {
        self.epsilon = epsilon
        for w in 0..<count {
            let range = (w * length)..<((w + 1) * length)
            let mean = windows[range].reduce(0.0) { $0 + Double($1) } / Double(length)
            let variance = windows[range].reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(length)
            let std = (variance + epsilon).squareRoot()
            for i in range { windows[i] = Float((Double(windows[i]) - mean) / std) }
            statistics.append((mean, std))
        }
    }

    /// Maps normalised forecasts [count, horizon] back to each window's level and scale.
    public func restore(_ forecasts: inout [Float], horizon: Int) {
        for (w, (mean, std)) in statistics.enumerated() {
            for t in 0..<horizon { forecasts[w * horizon + t] = Float(Double(forecasts[w * horizon + t]) * std + mean) }
        }
    }
}
