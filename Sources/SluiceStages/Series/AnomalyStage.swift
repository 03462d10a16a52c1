import SluiceCore
import SluiceSeries

/// `series.anomaly`: scores each row by its one-step forecast residual and flags rows at or above a threshold.
///
/// Takes `ssm.forecast` output (a channel and its `<channel>_f1` column); the residual of row t is its value
/// minus the forecast made at row t − 1. Emits `<channel>`, `<channel>_forecast`, `<channel>_score`, `<channel>_anomaly`.
final class AnomalyStage: Stage {
    static let type = StageType(
        name: "series.anomaly",
        summary: "Anomaly score Φ(z) of the forecast residual and a 0/1 flag (z ≥ threshold_sigma) per row, from ssm.forecast output.",
        options: AnomalySettings.options.specs,
        negotiate: { options, inputs in
            guard let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.anomaly") else {
                return .series(SeriesFormat(channels: nil))
            }
            let (_, name) = try columns(AnomalySettings.options.settings(options), channels: channels)
            return .series(SeriesFormat(channels: outputChannels(name)))
        },
        make: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.anomaly") ?? []
            let settings = AnomalySettings.options.settings(options)
            let (indices, name) = try columns(settings, channels: channels)
            return AnomalyStage(
                width: channels.count, value: indices.value, forecast: indices.forecast,
                threshold: settings.thresholdSigma, settings: settings.detector,
                format: .series(SeriesFormat(channels: outputChannels(name))))
        })

    let outputFormat: StreamFormat
    private let width: Int, value: Int, forecast: Int
    private let threshold: Double
    private var detector: ResidualDetector
    private var previousForecast: Float = .nan

    init(width: Int, value: Int, forecast: Int, threshold: Double, settings: ResidualDetector.Settings, format: StreamFormat) {
        self.width = width
        self.value = value
        self.forecast = forecast
        self.threshold = threshold
        detector = ResidualDetector(settings)
        outputFormat = format
    }

    /// The value and forecast column indices and the channel's name.
    static func columns(_ settings: AnomalySettings, channels: [String]) throws -> ((value: Int, forecast: Int), String) {
        let name = settings.channel ?? channels.first { channels.contains($0 + "_f1") }
        guard let name, let value = channels.firstIndex(of: name), let forecast = channels.firstIndex(of: name + "_f1") else {
            throw OptionProblem(
                "needs a channel and its one-step forecast column '<channel>_f1' (insert ssm.forecast before it); input has \(channels.joined(separator: ","))"
            )
        }
        return ((value, forecast), name)
    }

    static func outputChannels(_ name: String) -> [String] {
        [name, name + "_forecast", name + "_score", name + "_anomaly"]
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        var data = [Float](repeating: 0, count: packet.frames * 4)
        for row in 0..<packet.frames {
            let actual = packet.data[row * width + value]
            let predicted = previousForecast
            let z = detector.standardScore(residual: Double(actual) - Double(predicted))
            data[row * 4] = actual
            data[row * 4 + 1] = predicted
            data[row * 4 + 2] = Float(ResidualDetector.probability(z))
            data[row * 4 + 3] = z >= threshold ? 1 : 0
            previousForecast = packet.data[row * width + forecast]
        }
        var result = Packet(position: packet.position, frames: packet.frames, data: data)
        result.text = packet.text
        try emit(result)
    }

    func finish(emit: Emit) throws {}
}

/// What a `series.anomaly` stage's options set.
struct AnomalySettings: Sendable {
    var channel: String?
    var thresholdSigma = 6.0
    var detector = ResidualDetector.Settings()

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("channel", \.channel, help: "the channel to score (default: the first with a _f1 forecast)"),
            .number(
                "threshold_sigma", \.thresholdSigma, in: 0...1000,
                help: "flag rows whose recent |residual| is this many standard deviations above its history"),
            .integer("window_rows", \.detector.windowRows, in: 10...1_000_000, .tuning, help: "rows of residual history for the statistics"),
            .integer("short_rows", \.detector.shortRows, in: 1...1000, .tuning, help: "recent rows averaged into the residual compared"),
            .integer(
                "glitch_rows", \.detector.glitchRows, in: 0...100_000, .tuning,
                help: "rows after a glitch (a residual 1000 standard deviations out) neither scored nor learned: the forecaster's lookback"),
        ])
}
