import Foundation

/// Scores each row by how unusual its forecast residual is: the mean |residual| of the last few rows compared
/// with the distribution of |residual| over a long trailing window (a Gaussian tail, as NAB's windowed-Gaussian
/// and HTM anomaly-likelihood detectors use on their own raw scores). Constant work and memory per row.
/// The defaults (6400 rows, as NAB's windowed Gaussian; 2 recent rows) scored best on the local NAB files.
public struct ResidualDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Rows in the long window of residual statistics.
        public var windowRows: Int
        /// Rows averaged for the short-term residual.
        public var shortRows: Int

        public init(windowRows: Int = 6400, shortRows: Int = 2) {
            self.windowRows = windowRows
            self.shortRows = shortRows
        }
    }

    public let settings: Settings
    private var long: SlidingMoments
    private var short: SlidingMoments

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
        long = SlidingMoments(capacity: settings.windowRows)
        short = SlidingMoments(capacity: settings.shortRows)
    }

    /// The anomaly score in [0, 1] of a standard score: Φ(z), the Gaussian probability of a smaller one.
    public static func probability(_ z: Double) -> Double { 0.5 * erfc(-z / 2.squareRoot()) }

    /// How many long-window standard deviations the recent mean |residual| lies above the long-window mean;
    /// −∞ while the statistics warm up or when there is no forecast (nil or NaN). Unlike Φ(z) it never saturates,
    /// so it ranks the most unusual rows apart.
    public mutating func standardScore(residual: Double?) -> Double {
        guard let residual, residual.isFinite else { return -.infinity }
        let magnitude = abs(residual)
        short.push(magnitude)
        defer { long.push(magnitude) }
        guard long.count >= max(settings.shortRows * 4, 20) else { return -.infinity }
        let spread = max(long.std, 1e-9 * max(long.mean, 1e-12))
        return (short.mean - long.mean) / spread
    }
}

/// Mean and standard deviation of the last `capacity` values, updated in O(1) per value.
struct SlidingMoments: Sendable {
    private var values: [Double]
    private var next = 0
    private(set) var count = 0
    private var sum = 0.0, squares = 0.0

    init(capacity: Int) { values = [Double](repeating: 0, count: capacity) }

    mutating func push(_ value: Double) {
        if count == values.count {
            sum -= values[next]
            squares -= values[next] * values[next]
        } else {
            count += 1
        }
        values[next] = value
        sum += value
        squares += value * value
        next = (next + 1) % values.count
        if next == 0 {  // drop accumulated rounding once a lap
            sum = values[0..<count].reduce(0, +)
            squares = values[0..<count].reduce(0) { $0 + $1 * $1 }
        }
    }

    var mean: Double { count == 0 ? 0 : sum / Double(count) }
    var std: Double { count == 0 ? 0 : max(squares / Double(count) - mean * mean, 0).squareRoot() }
}
