import Foundation
import SluiceSSM

/// The NAB corpus on disk (`data/<group>/<file>.csv` with `timestamp,value`, `labels/combined_windows.json`) and
/// the forecast-residual detector run over it, as `Pipelines/anomaly.yaml` runs it on a stream.
public struct NABCorpus: Sendable {
    /// One file: its relative name, values and label windows as row ranges.
    public struct Entry: Sendable {
        public var name: String
        public var values: [Float]
        public var windows: [ClosedRange<Int>]
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
            let table = try SeriesTable(csvPath: root + "/data/" + name)
            guard table.timestamps.count == table.rows, table.channels.count == 1 else {
                throw SeriesInputError(row: nil, message: "\(name): expected timestamp,value rows")
            }
            let windows = try labels[name]!.map { pair -> ClosedRange<Int> in
                let start = String(pair[0].prefix(19)), end = String(pair[1].prefix(19))
                guard let first = table.timestamps.firstIndex(where: { $0 >= start }),
                    let last = table.timestamps.lastIndex(where: { $0 <= end }), first <= last
                else { throw SeriesInputError(row: nil, message: "\(name): window \(pair) matches no rows") }
                return first...last
            }
            return Entry(name: name, values: table.values.map(Float.init), windows: windows)
        }
    }

    /// NAB's windowed-Gaussian baseline (`windowedGaussian_detector.py`): 1 − the two-sided tail probability of each
    /// value under the mean and std of up to 6400 trailing values, refreshed every 100 values once the window is full.
    public static func windowedGaussianScores(_ values: [Float]) -> [Double] {
        let windowSize = 6400, stepSize = 100
        var window = [Double](), step = [Double]()
        var mean = 0.0, std = 1.0
        func refresh() {
            mean = window.reduce(0, +) / Double(window.count)
            std = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window.count)).squareRoot()
            if std == 0 { std = 1e-6 }
        }
        return values.map { value in
            let x = Double(value)
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

    /// Anomaly scores of one series: one-step forecasts in step mode, `ResidualDetector.standardScore` of the residuals.
    public static func scores(_ values: [Float], forecaster: S4DForecaster, settings: ResidualDetector.Settings) -> [Double] {
        var state = forecaster.makeState()
        var settings = settings
        settings.glitchRows = forecaster.lookback
        var detector = ResidualDetector(settings)
        var previous: Float?
        return values.map { value in
            let score = detector.standardScore(residual: previous.map { Double(value) - Double($0) })
            previous = forecaster.step(value, state: &state, steps: 1)?[0]
            return score
        }
    }
}
