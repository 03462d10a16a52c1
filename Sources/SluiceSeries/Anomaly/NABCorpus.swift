import Foundation
import SluiceSSM

/// The NAB corpus on disk (`data/<group>/<file>.csv` with `timestamp,value`, `labels/combined_windows.json`) and
/// the forecast-residual detector run over it, as `Pipelines/anomaly.yaml` runs it on a stream.
public struct NABCorpus: Sendable {
    /// One file: its relative name (`group/file.csv`), timestamps, values and label windows as row ranges.
    public struct Entry: Sendable {
        public var name: String
        public var timestamps: [String]
        public var values: [Double]
        public var windows: [ClosedRange<Int>]

        /// NAB's group of the file: its folder under `data/` (realKnownCause, artificialWithAnomaly, …).
        public var group: String { name.split(separator: "/").dropLast().joined(separator: "/") }
    }

    public var entries: [Entry]

    /// Loads every labelled file present under `root` (holding `data/` and `labels/`): a partial copy of the corpus
    /// scores the files it has.
    public init(root: String) throws {
        let labelsPath = root + "/labels/combined_windows.json"
        guard let labels = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: labelsPath)))) as? [String: [[String]]]
        else { throw SeriesInputError(row: nil, message: "\(labelsPath): cannot read the NAB label windows") }
        let present = labels.keys.sorted().filter { FileManager.default.fileExists(atPath: root + "/data/" + $0) }
        entries = try present.map { name in
            let table = try Self.readFile(root + "/data/" + name)
            let windows = try labels[name]!.map { pair -> ClosedRange<Int> in
                let start = String(pair[0].prefix(19)), end = String(pair[1].prefix(19))
                guard let first = table.timestamps.firstIndex(where: { $0 >= start }),
                    let last = table.timestamps.lastIndex(where: { $0 <= end }), first <= last
                else { throw SeriesInputError(row: nil, message: "\(name): window \(pair) matches no rows") }
                return first...last
            }
            return Entry(name: name, timestamps: table.timestamps, values: table.values, windows: windows)
        }
    }

    /// One data file's `timestamp,value` rows, values as Doubles (as NAB reads them; `SeriesTable` keeps Floats).
    static func readFile(_ path: String) throws -> (timestamps: [String], values: [Double]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SeriesInputError(row: nil, message: "\(path): cannot read")
        }
        var timestamps = [String](), values = [Double]()
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2, let value = Double(fields[1].trimmingCharacters(in: .whitespaces)) else {
                throw SeriesInputError(row: index + 1, message: "\(path): expected timestamp,value")
            }
            timestamps.append(String(fields[0]))
            values.append(value)
        }
        return (timestamps, values)
    }

    /// NAB's windowed-Gaussian baseline (`windowedGaussian_detector.py`): 1 − the two-sided tail probability of each
    /// value under the mean and std of up to 6400 trailing values, refreshed every 100 values once the window is full.
    public static func windowedGaussianScores(_ values: [Double]) -> [Double] {
        let windowSize = 6400, stepSize = 100
        var window = [Double](), step = [Double]()
        var mean = 0.0, std = 1.0
        func refresh() {
            mean = window.reduce(0, +) / Double(window.count)
            std = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window.count)).squareRoot()
            if std == 0 { std = 1e-6 }
        }
        return values.map { x in
            let score = window.isEmpty ? 0 : 1 - 0.5 * erfc(abs(x - mean) / std / 2.squareRoot())
            if window.count < windowSize {
                window.append(x)
                refresh()
            } else {
                step.append(x)
                if step.count == stepSize {
                    window = Array(window.dropFirst(stepSize)) + step
                    step = []
                    refresh()
                }
            }
            return score
        }
    }

    /// One-step forecast residuals of one series (value − the forecast made at the row before), the forecaster in
    /// step mode; nil until its window is full. They do not depend on the detector's settings, so a settings search
    /// forecasts once.
    public static func residuals(_ values: [Double], forecaster: S4DForecaster) -> [Double?] {
        var state = forecaster.makeState()
        var previous: Float?
        return values.map { value in
            let residual = previous.map { value - Double($0) }
            previous = forecaster.step(Float(value), state: &state, steps: 1)?[0]
            return residual
        }
    }

    /// Standard scores of the residuals (`ResidualDetector.standardScore`), with the forecaster's lookback as
    /// glitch rows.
    public static func scores(residuals: [Double?], settings: ResidualDetector.Settings, forecaster: S4DForecaster) -> [Double] {
        var settings = settings
        settings.glitchRows = forecaster.lookback
        var detector = ResidualDetector(settings)
        return residuals.map { detector.standardScore(residual: $0) }
    }

    /// Anomaly scores of one series: one-step forecasts in step mode, `ResidualDetector.standardScore` of the residuals.
    public static func scores(_ values: [Double], forecaster: S4DForecaster, settings: ResidualDetector.Settings) -> [Double] {
        scores(residuals: residuals(values, forecaster: forecaster), settings: settings, forecaster: forecaster)
    }
}
