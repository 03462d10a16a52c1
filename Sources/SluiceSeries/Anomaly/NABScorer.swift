import Foundation

/// The Numenta Anomaly Benchmark's scoring rules (`nab/sweeper.py`), with the threshold swept over the corpus.
///
/// - The first 15% of each file (at most 750 rows) is probationary and not scored.
/// - A detection inside a label window scores tp·σ(position)/σ(−1) for the window's first detection only, with
///   σ(x) = 2/(1 + e^(5x)) − 1 and position −1 at the window's start, near 0 at its end: tp at the start.
/// - A detection outside the windows scores fp·σ(rows past the preceding window / (its width − 1)), which is
///   negative and −fp beyond 3 widths; with no preceding window it scores −fp.
/// - Each window without a detection scores −fn.
/// - Normalised score: 100·(raw − null)/(perfect − null), where null detects nothing (−fn per window with rows
///   after probation) and perfect is tp per window (`Runner.normalize`).
///
/// A detection is a score at or above the threshold. Checked against NAB's own Python scorer on the 58 files
/// (Benchmarks/series-benchmark.sh).
public enum NABScorer {
    /// Weights of one application profile.
    public struct Profile: Sendable {
        public var name: String
        public var truePositive: Double, falsePositive: Double, falseNegative: Double

        public static let standard = Profile(name: "standard", truePositive: 1, falsePositive: 0.11, falseNegative: 1)
        public static let rewardLowFP = Profile(name: "reward_low_FP_rate", truePositive: 1, falsePositive: 0.22, falseNegative: 1)
        public static let rewardLowFN = Profile(name: "reward_low_FN_rate", truePositive: 1, falsePositive: 0.11, falseNegative: 2)
        public static let all = [standard, rewardLowFP, rewardLowFN]
    }

    /// One data file: its detector scores per row and its label windows as inclusive row ranges.
    public struct File: Sendable {
        public var scores: [Double]
        public var windows: [ClosedRange<Int>]

        public init(scores: [Double], windows: [ClosedRange<Int>]) {
            self.scores = scores
            self.windows = windows.sorted { $0.lowerBound < $1.lowerBound }
        }
    }

    /// The result of the sweep: the best threshold and its normalised and raw scores.
    public struct Result: Sendable, Equatable {
        public var score: Double
        public var threshold: Double
        public var raw: Double
    }

    /// The probationary rows at the start of a file of `rows` rows.
    public static func probation(rows: Int) -> Int { min(Int((0.15 * Double(rows)).rounded(.down)), 750) }

    /// NAB's scaled sigmoid of a relative position.
    public static func scaledSigmoid(_ position: Double) -> Double {
        position > 3 ? -1 : 2 / (1 + exp(5 * position)) - 1
    }

    /// The unweighted score of a detection at each row (1 at a window's first row) and the window index it falls in (nil outside).
    static func rowWeights(rows: Int, windows: [ClosedRange<Int>]) -> [(value: Double, window: Int?)] {
        var weights = [(value: Double, window: Int?)]()
        weights.reserveCapacity(rows)
        var previous: ClosedRange<Int>?
        var next = 0
        for row in 0..<rows {
            while next < windows.count, windows[next].upperBound < row {
                previous = windows[next]
                next += 1
            }
            if next < windows.count, windows[next].contains(row) {
                let window = windows[next]
                let width = Double(window.count)
                weights.append((scaledSigmoid(-Double(window.upperBound - row + 1) / width) / scaledSigmoid(-1), next))
            } else if let previous {
                weights.append((scaledSigmoid(Double(row - previous.upperBound) / Double(previous.count - 1)), nil))
            } else {
                weights.append((-1, nil))
            }
        }
        return weights
    }

    /// The raw scores of detecting nothing and of detecting each window at its first row.
    public static func bounds(_ files: [File], profile: Profile) -> (null: Double, perfect: Double) {
        let windows = files.reduce(0) { $0 + $1.windows.count }
        let scorable = files.reduce(0) { total, file in
            let first = probation(rows: file.scores.count)
            return total + file.windows.filter { $0.upperBound >= first }.count
        }
        return (-profile.falseNegative * Double(scorable), profile.truePositive * Double(windows))
    }

    /// 100·(raw − null)/(perfect − null) for the corpus `files`.
    public static func normalized(raw: Double, files: [File], profile: Profile) -> Double {
        let (null, perfect) = bounds(files, profile: profile)
        return 100 * (raw - null) / (perfect - null)
    }

    /// The raw score of `files` with detections at scores ≥ `threshold` (a threshold chosen elsewhere).
    public static func raw(_ files: [File], profile: Profile, threshold: Double) -> Double {
        var total = bounds(files, profile: profile).null
        for file in files {
            let weights = rowWeights(rows: file.scores.count, windows: file.windows)
            var detected = Set<Int>()
            for row in probation(rows: file.scores.count)..<file.scores.count where file.scores[row] >= threshold {
                if let window = weights[row].window {
                    if detected.insert(window).inserted { total += profile.truePositive * weights[row].value + profile.falseNegative }
                } else {
                    total += profile.falsePositive * weights[row].value
                }
            }
        }
        return total
    }

    /// Sweeps the threshold down through every distinct score of the corpus and returns the best normalised score
    /// (of equal totals, the highest threshold, as NAB's optimizer keeps).
    public static func evaluate(_ files: [File], profile: Profile) -> Result {
        struct Point {
            var score: Double
            var file: Int
            var row: Int
            var value: Double
            var window: Int?
        }
        var points = [Point]()
        var windowOffsets = [Int](), totalWindows = 0
        for (index, file) in files.enumerated() {
            windowOffsets.append(totalWindows)
            totalWindows += file.windows.count
            let weights = rowWeights(rows: file.scores.count, windows: file.windows)
            for row in probation(rows: file.scores.count)..<file.scores.count {
                points.append(Point(score: file.scores[row], file: index, row: row, value: weights[row].value, window: weights[row].window))
            }
        }
        points.sort { $0.score > $1.score }
        let (null, perfect) = bounds(files, profile: profile)
        // Per window: the earliest detection so far (row, value).
        var earliest = [(row: Int, value: Double)?](repeating: nil, count: totalWindows)
        var raw = null
        var best = Result(score: 0, threshold: .infinity, raw: null)
        for (index, point) in points.enumerated() {
            if let window = point.window {
                let slot = windowOffsets[point.file] + window
                if let current = earliest[slot] {
                    if point.row < current.row {
                        raw += profile.truePositive * (point.value - current.value)
                        earliest[slot] = (point.row, point.value)
                    }
                } else {
                    raw += profile.truePositive * point.value + profile.falseNegative
                    earliest[slot] = (point.row, point.value)
                }
            } else {
                raw += profile.falsePositive * point.value
            }
            let groupEnds = index + 1 == points.count || points[index + 1].score < point.score
            if groupEnds && raw > best.raw {
                best = Result(score: 0, threshold: point.score, raw: raw)
            }
        }
        best.score = 100 * (best.raw - null) / (perfect - null)
        return best
    }
}
