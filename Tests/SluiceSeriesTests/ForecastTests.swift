import Foundation
import SluiceSSM
import SluiceSeries
import Testing

@Suite("Forecasting")
struct ForecastTests {
    /// Step mode (sliding window state, O(modes) a row) gives the same forecasts as batch mode (windows × basis).
    @Test func stepModeAgreesWithBatchMode() throws {
        let forecaster = try ForecastModel(resolving: "etth1-96").streamingForecaster()
        let table = try SeriesTable(csvPath: FixtureFiles.sample("etth1-head.csv"))
        let ot = table.column(table.channels.firstIndex(of: "OT")!).map(Float.init)
        let lookback = forecaster.lookback
        var state = forecaster.makeState()
        var stepped = [[Float]]()
        for value in ot {
            if let forecast = forecaster.step(value, state: &state) { stepped.append(forecast) }
        }
        #expect(stepped.count == ot.count - lookback + 1)
        let windows = stepped.indices.flatMap { ot[$0..<($0 + lookback)] }
        let batch = forecaster.forecast(windows: Array(windows), count: stepped.count)
        let flat = stepped.flatMap { $0 }
        let scale = batch.map(abs).max()!
        #expect(zip(flat, batch).map { abs($0 - $1) }.max()! / scale < 1e-4)
    }

    /// A forecast is invariant to the level and scale of its window (instance normalisation).
    @Test func forecastsFollowAffineChangesOfTheInput() throws {
        let forecaster = try ForecastModel(resolving: "etth2-96").forecaster
        let window = (0..<forecaster.lookback).map { Float(sin(Double($0) * 2 * .pi / 24)) }
        let base = forecaster.forecast(windows: window, count: 1)
        let shifted = forecaster.forecast(windows: window.map { 3 * $0 + 1000 }, count: 1)
        #expect(zip(base, shifted).allSatisfy { abs(3 * $0 + 1000 - $1) < 2e-2 })
        #expect(base.count == 96)
    }

    @Test func shippedModelsResolveByNameAndExplainUnknownOnes() throws {
        #expect(ForecastModel.shippedNames.count == 8)
        let model = try ForecastModel(resolving: "etth2-720")
        #expect(model.config.horizon == 720 && model.config.channels.count == 7 && model.config.scaler.std.count == 7)
        #expect(throws: (any Error).self) { try ForecastModel(resolving: "etth3-96") }
    }

    /// The ETT protocol's window counts are those of the published tables, whatever the lookback.
    @Test func testWindowCounts() {
        let split = ETTProtocol(fileName: "ETTh1.csv")
        #expect([96, 192, 336, 720].map { split.testWindows(lookback: 336, horizon: $0) } == [2785, 2689, 2545, 2161])
        #expect(split.testWindows(lookback: 96, horizon: 96) == 2785)
        #expect(split.testRange(lookback: 336) == 11184..<14400)
        #expect(ETTProtocol(fileName: "ETTm2.csv").testEnd == 57600)
    }
}

@Suite("ETT evaluation")
struct EvaluationTests {
    /// `ForecastEvaluation` (batch windows) equals scoring the step-mode forecasts of a stream over the test part.
    @Test func batchEvaluationEqualsStreamingScores() throws {
        let model = try ForecastModel(resolving: "etth1-96")
        let names = model.config.channels
        let rows = 14400
        var values = [Double]()
        for t in 0..<rows {
            for c in names.indices {
                values.append(10 * Double(c + 1) + 3 * sin(Double(t) * 2 * .pi / 24 + Double(c)) + Double((t * 7919 + c * 104_729) % 101) / 50)
            }
        }
        let table = SeriesTable(channels: names, values: values)
        let scores = try ForecastEvaluation.evaluate(model, on: table, fileName: "ETTh1.csv")
        #expect(scores.windows == 2785)

        let split = ETTProtocol(fileName: "ETTh1.csv")
        let scaler = split.scaler(of: table)
        let forecaster = try model.streamingForecaster()
        var squared = 0.0
        for c in names.indices {
            let series = table.column(c).map { ($0 - scaler.mean[c]) / scaler.std[c] }
            var state = forecaster.makeState()
            for t in split.testRange(lookback: forecaster.lookback) {
                guard let forecast = forecaster.step(Float(series[t]), state: &state), t + 96 < split.testEnd else { continue }
                for s in 0..<96 { squared += pow(Double(forecast[s]) - series[t + 1 + s], 2) }
            }
        }
        let mse = squared / Double(2785 * 96 * names.count)
        #expect(abs(mse - scores.mse) < 1e-4 * scores.mse)
    }
}
