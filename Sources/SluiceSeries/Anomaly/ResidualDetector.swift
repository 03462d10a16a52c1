import Foundation

/// Scores each row by how unusual its forecast residual is: the mean |residual| of the last few rows compared
/// with the distribution of |residual| over a long trailing window (a Gaussian tail, as NAB's windowed-Gaussian
/// and HTM anomaly-likelihood detectors use on their own raw scores). Constant work and memory per row.
/// The defaults (6400 rows, as NAB's windowed Gaussian; 2 recent rows) were chosen on 13 NAB files; on all 58 they score
/// 37.5 (standard), below the windowed Gaussian baseline (Benchmarks/RESULTS.md, Series).
///
/// A glitch (one absurd value: a residual at least `glitchSigma` standard deviations out) is scored, but neither it
/// nor the residuals of the next `glitchRows` rows enter the statistics, and those rows get no score: the
/// forecaster's window holds the glitch for that long, so its forecasts are off by about glitch/√lookback. Left in,
/// that burst would inflate the standard deviation and hide every real anomaly until it left the long window.
/// A residual as large within those rows (the burst, or another glitch) starts them again.
public struct ResidualDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Rows in the long window of residual statistics.
        public var windowRows: Int
        /// Rows averaged for the short-term residual.
        public var shortRows: Int
        /// Rows after a glitch that are neither scored nor learned: the forecaster's lookback.
        public var glitchRows: Int

        public init(windowRows: Int = 6400, shortRows: Int = 2, glitchRows: Int = 336) {
            self.windowRows = windowRows
            self.shortRows = shortRows
            self.glitchRows = glitchRows
        }
    }

    /// Standard deviations above the long-window mean from which one |residual| counts as a glitch. The largest
    /// single-row residual on the NAB corpus files lies 66 standard deviations out; a 1e5 glitch on a series of
    /// tens lies thousands out.
    public static let glitchSigma = 1000.0

    public let settings: Settings
    private var long: SlidingMoments
    private var short: SlidingMoments
    /// Rows left whose forecasts hold a glitch.
    private var glitchRowsLeft = 0

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
        long = SlidingMoments(capacity: settings.windowRows)
        short = SlidingMoments(capacity: settings.shortRows)
    }

    /// The anomaly score in [0, 1] of a standard score: Φ(z), the Gaussian probability of a smaller one.
    public static func probability(_ z: Double) -> Double { 0.5 * erfc(-z / 2.squareRoot()) }

    /// How many long-window standard deviations the recent mean |residual| lies above the long-window mean;
    /// −∞ while the statistics warm up, after a glitch (see the type) or when there is no forecast (nil or NaN).
    /// Unlike Φ(z) it never saturates, so it ranks the most unusual rows apart.
    public mutating func standardScore(residual: Double?) -> Double {
        guard let residual, residual.isFinite else { return -.infinity }
        let magnitude = abs(residual)
        let warm = long.count >= min(max(settings.shortRows * 4, 20), settings.windowRows)
        let spread = max(long.std, 1e-9 * max(long.mean, 1e-12))
        let glitch = warm && (magnitude - long.mean) / spread >= Self.glitchSigma
        if glitchRowsLeft > 0 {  // the forecasts hold a glitch; one as large again restarts the count
            glitchRowsLeft = glitch ? settings.glitchRows : glitchRowsLeft - 1
            return -.infinity
        }
        if glitch {
            short.push(magnitude)
            let score = (short.mean - long.mean) / spread
            short = SlidingMoments(capacity: settings.shortRows)  // the glitch leaves the recent mean at once
            glitchRowsLeft = settings.glitchRows
            return score
        }
        short.push(magnitude)
        defer { long.push(magnitude) }
        guard warm else { return -.infinity }
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
