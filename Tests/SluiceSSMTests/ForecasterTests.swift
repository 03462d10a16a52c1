import SluiceNN
import SluiceSSM
import SluiceTestSupport
import Testing

@Suite("Forecasters")
struct ForecasterTests {
    /// Both forecasters reproduce PyTorch's float64 forecasts of three windows.
    @Test(arguments: ["s4d-forecaster.safetensors", "mamba-forecaster.safetensors"])
    func matchesPyTorchGolden(_ name: String) throws {
        let tensors = try FixtureFiles.golden(name)
        let input = tensors["input"]!, expected = tensors["expected"]!
        let (count, lookback, horizon) = (input.shape[0], input.shape[1], expected.shape[1])
        let forecaster: any WindowForecasting =
            name.hasPrefix("s4d")
            ? try S4DForecaster(TensorLookup(tensors), lookback: lookback, horizon: horizon)
            : try MambaForecaster(TensorLookup(tensors), lookback: lookback, horizon: horizon)
        #expect(relativeError(forecaster.forecast(windows: input.values, count: count), expected.values) < 1e-5)
    }

    /// The S4D forecaster's sliding step mode gives each window's batch forecast, long after the first window.
    @Test func s4dStepModeSlidesOverLongStreams() throws {
        let tensors = try FixtureFiles.golden("s4d-forecaster.safetensors")
        let forecaster = try S4DForecaster(TensorLookup(tensors), lookback: 48, horizon: 8)
        var generator = SeededGenerator(seed: 3)
        let stream = (0..<5000).map { _ in 100 + 3 * generator.normal() }
        var state = forecaster.makeState()
        var last: [Float]?
        for value in stream { last = forecaster.step(value, state: &state) }
        let batch = forecaster.forecast(windows: Array(stream.suffix(48)), count: 1)
        #expect(relativeError(last!, batch) < 1e-4)
        #expect(forecaster.step(1, state: &state, steps: 3)?.count == 3)
    }
}
