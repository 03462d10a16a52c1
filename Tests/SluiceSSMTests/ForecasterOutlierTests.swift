import SluiceNN
import SluiceTestSupport
import Testing

@testable import SluiceSSM

@Suite("S4D step mode under outliers")
struct ForecasterOutlierTests {
    /// Level and noise of a series, and one outlier at a row.
    struct Case: Sendable, CustomTestStringConvertible {
        var level: Float, noise: Float, outlier: Float, row: Int
        var testDescription: String { "\(outlier) at row \(row) in \(level) ± \(noise)" }
    }

    /// Once an outlier has left the window, step mode again gives each window's batch forecast (computed from the
    /// window alone), however large the outlier and whatever the series' scale; the state is recomputed once.
    @Test(arguments: [
        Case(level: 100, noise: 3, outlier: 1e20, row: 400),
        Case(level: 100, noise: 3, outlier: -3e38, row: 400),
        Case(level: 100, noise: 3, outlier: 3e38, row: 0),  // the stream's first value, its first reference
        Case(level: 1e-20, noise: 1e-21, outlier: 1e20, row: 300),
    ])
    func stepModeForgetsAnOutlier(_ test: Case) throws {
        let tensors = try FixtureFiles.golden("s4d-forecaster.safetensors")
        let (lookback, horizon) = (48, 8)
        let forecaster = try S4DForecaster(TensorLookup(tensors), lookback: lookback, horizon: horizon)
        var generator = SeededGenerator(seed: 5)
        var stream = (0..<1200).map { _ in test.level + test.noise * generator.normal() }
        stream[test.row] = test.outlier
        var state = forecaster.makeState()
        var streamed = [[Float]]()
        for (t, value) in stream.enumerated() {
            let forecast = forecaster.step(value, state: &state)
            if t >= test.row + lookback { streamed.append(forecast!) }  // windows without the outlier
        }
        let first = test.row + 1
        let windows = (first..<(stream.count - lookback + 1)).flatMap { stream[$0..<($0 + lookback)] }
        let batch = forecaster.forecast(windows: windows, count: streamed.count)
        let worst = streamed.indices.map { w in relativeError(streamed[w], Array(batch[(w * horizon)..<((w + 1) * horizon)])) }.max()!
        #expect(worst < 1e-4)
        #expect(state.reanchors == 1)
    }

    /// A clean stream never needs its state recomputed.
    @Test func cleanStreamsKeepTheSlidingUpdate() throws {
        let tensors = try FixtureFiles.golden("s4d-forecaster.safetensors")
        let forecaster = try S4DForecaster(TensorLookup(tensors), lookback: 48, horizon: 8)
        var generator = SeededGenerator(seed: 9)
        var state = forecaster.makeState()
        for t in 0..<5000 { _ = forecaster.step(1e6 + Float(t) + 50 * generator.normal(), state: &state) }
        #expect(state.reanchors == 0)
    }

    /// The sliding range over a ring of values equals max − min of the window, row after row.
    @Test func slidingRangeMatchesTheWindow() {
        var generator = SeededGenerator(seed: 11)
        let length = 7
        var ring = [Double](repeating: 0, count: length)
        var extremes = SlidingExtremes(window: length)
        var values = [Double]()
        for t in 0..<500 {
            let value = (t / 50) % 2 == 0 ? Double(generator.normal()) : Double(t % 5)  // noise, then ties
            values.append(value)
            ring[t % length] = value
            extremes.push(slot: t % length, window: ring)
            let window = values.suffix(length)
            #expect(extremes.range(ring) == window.max()! - window.min()!)
        }
    }
}
