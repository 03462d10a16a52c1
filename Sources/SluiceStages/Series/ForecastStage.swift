import SluiceCore
import SluiceSSM
import SluiceSeries

/// `ssm.forecast`: a fresh forecast per arriving row from an S4D forecaster in step mode, per channel.
///
/// Output rows keep the input channels and add `<channel>_f1 … <channel>_fS`, the forecasts of the next S rows
/// made at this row (empty until `lookback` rows have arrived). Work per row is constant over the stream.
final class ForecastStage: Stage {
    static let type = StageType(
        name: "ssm.forecast",
        summary: "Forecast the next rows of each channel with a state-space model, one fresh forecast per row.",
        options: ForecastSettings.options.specs,
        negotiate: { options, inputs in
            let settings = ForecastSettings.options.settings(options)
            let model = try SeriesFormatRules.model(settings.model)
            do {
                _ = try model.streamingForecaster()
            } catch {
                throw OptionProblem("model: \(error)")
            }
            guard settings.steps <= model.config.horizon else {
                throw OptionProblem("steps: \(settings.steps) exceeds the model's horizon \(model.config.horizon)")
            }
            guard let channels = try SeriesFormatRules.channels(inputs[0], stage: "ssm.forecast") else {
                return .series(SeriesFormat(channels: nil))
            }
            let selected = try selection(settings, channels: channels)
            return .series(SeriesFormat(channels: outputChannels(channels, selected: selected, steps: settings.steps)))
        },
        make: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "ssm.forecast") ?? []
            let settings = ForecastSettings.options.settings(options)
            let selected = try selection(settings, channels: channels)
            let steps = settings.steps
            return ForecastStage(
                model: try SeriesFormatRules.model(settings.model).streamingForecaster(), width: channels.count, selected: selected,
                steps: steps, format: .series(SeriesFormat(channels: outputChannels(channels, selected: selected, steps: steps))))
        })

    let outputFormat: StreamFormat
    private let model: S4DForecaster
    private let width: Int, selected: [Int], steps: Int
    private var states: [S4DForecasterState]
    /// The last finite value of each selected channel, which stands in for a missing (NaN) one.
    private var lastValues: [Float]

    init(model: S4DForecaster, width: Int, selected: [Int], steps: Int, format: StreamFormat) {
        self.model = model
        self.width = width
        self.selected = selected
        self.steps = steps
        outputFormat = format
        states = selected.map { _ in model.makeState() }
        lastValues = selected.map { _ in 0 }
    }

    /// Indices of the channels to forecast.
    static func selection(_ settings: ForecastSettings, channels: [String]) throws -> [Int] {
        guard let list = settings.channels else { return Array(channels.indices) }
        return try SeriesFormatRules.names(list).map { name in
            guard let index = channels.firstIndex(of: name) else {
                throw OptionProblem("channels: no channel '\(name)' in the input (\(channels.joined(separator: ",")))")
            }
            return index
        }
    }

    static func outputChannels(_ channels: [String], selected: [Int], steps: Int) -> [String] {
        channels + selected.flatMap { c in (1...steps).map { "\(channels[c])_f\($0)" } }
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        let outputWidth = width + selected.count * steps
        var data = [Float](repeating: .nan, count: packet.frames * outputWidth)
        for row in 0..<packet.frames {
            let out = row * outputWidth
            for c in 0..<width { data[out + c] = packet.data[row * width + c] }
            for (k, c) in selected.enumerated() {
                var value = packet.data[row * width + c]
                if value.isFinite { lastValues[k] = value } else { value = lastValues[k] }
                guard let forecast = model.step(value, state: &states[k], steps: steps) else { continue }
                for s in 0..<steps { data[out + width + k * steps + s] = forecast[s] }
            }
        }
        var result = Packet(position: packet.position, frames: packet.frames, data: data)
        result.text = packet.text
        try emit(result)
    }

    func finish(emit: Emit) throws {}
}

/// What an `ssm.forecast` stage's options set.
struct ForecastSettings: Sendable {
    var model = ""
    var steps = 1
    var channels: String?

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("model", \.model, required: true, help: "a shipped series model (see `sluice models list`) or a model directory"),
            .integer("steps", \.steps, in: 1...10_000, help: "forecast steps written per row (at most the model's horizon)"),
            .string("channels", \.channels, help: "comma-separated channels to forecast (default: all)"),
        ])
}
