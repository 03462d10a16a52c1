import SluiceCore
import SluiceSeries

/// `series.plot`: collects the rows and, at the end of the stream, emits one SVG document (actual vs forecast,
/// anomalies marked) as a text record for the `text` output.
final class PlotStage: Stage {
    static let type = StageType(
        name: "series.plot",
        summary: "SVG chart of a channel, its forecast and its anomaly flags (dates on the time axis), emitted at end of stream (to a text output).",
        options: PlotSettings.options.specs,
        negotiate: { options, inputs in
            if let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.plot") {
                _ = try columns(PlotSettings.options.settings(options), channels: channels)
            }
            return .text(TextFormat(kind: "svg"))
        },
        make: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.plot") ?? []
            let settings = PlotSettings.options.settings(options)
            let (name, indices) = try columns(settings, channels: channels)
            return PlotStage(name: name, width: channels.count, columns: indices, maxRows: settings.maxRows)
        })

    let outputFormat: StreamFormat = .text(TextFormat(kind: "svg"))
    private let name: String
    private let width: Int
    private let columns: (value: Int, forecast: Int?, shifted: Bool, flag: Int?)
    private let maxRows: Int
    private var actual: [Float] = [], forecast: [Float] = [], flags: [Bool] = []
    /// Each row's timestamp, while every packet has them.
    private var timestamps: [String] = []
    private var timed = true

    init(name: String, width: Int, columns: (value: Int, forecast: Int?, shifted: Bool, flag: Int?), maxRows: Int) {
        self.name = name
        self.width = width
        self.columns = columns
        self.maxRows = maxRows
    }

    /// The channel, and where its value, forecast (`_forecast`, else the one-step `_f1` shifted a row) and flag are.
    static func columns(_ settings: PlotSettings, channels: [String]) throws -> (String, (value: Int, forecast: Int?, shifted: Bool, flag: Int?)) {
        let name = settings.channel ?? channels.first ?? ""
        guard let value = channels.firstIndex(of: name) else {
            throw OptionProblem("channel: no channel '\(name)' in the input (\(channels.joined(separator: ",")))")
        }
        let aligned = channels.firstIndex(of: name + "_forecast"), ahead = channels.firstIndex(of: name + "_f1")
        return (name, (value, aligned ?? ahead, aligned == nil && ahead != nil, channels.firstIndex(of: name + "_anomaly")))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        for row in 0..<packet.frames {
            let base = row * width
            actual.append(packet.data[base + columns.value])
            forecast.append(columns.forecast.map { packet.data[base + $0] } ?? .nan)
            flags.append(columns.flag.map { packet.data[base + $0] >= 0.5 } ?? false)
        }
        timed = timed && packet.text.count == packet.frames
        if timed { timestamps += packet.text } else { timestamps = [] }
        if actual.count > 2 * maxRows {  // keep memory bounded: drop the oldest rows in batches
            actual.removeFirst(actual.count - maxRows)
            forecast.removeFirst(forecast.count - maxRows)
            flags.removeFirst(flags.count - maxRows)
            if timed { timestamps.removeFirst(timestamps.count - maxRows) }
        }
    }

    func finish(emit: Emit) throws {
        let drop = max(actual.count - maxRows, 0)
        var drawnForecast = Array(forecast.dropFirst(drop))
        if columns.shifted, !drawnForecast.isEmpty {
            drawnForecast = [.nan] + drawnForecast.dropLast()  // the _f1 made at row t is for row t + 1
        }
        var plot = SVGPlot(
            title: name, actual: Array(actual.dropFirst(drop)), forecast: drawnForecast,
            anomalies: flags.dropFirst(drop).enumerated().filter(\.element).map(\.offset))
        plot.timestamps = Array(timestamps.dropFirst(drop))
        plot.valueLabel = name
        if columns.forecast != nil {  // the rows before the first forecast: the model is filling its context
            plot.warmUpRows = drawnForecast.firstIndex(where: \.isFinite) ?? drawnForecast.count
        }
        try emit(Packet(position: 0, text: [plot.render()]))
    }
}

/// What a `series.plot` stage's options set.
struct PlotSettings: Sendable {
    var channel: String?
    var maxRows = 20_000

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("channel", \.channel, help: "the channel to draw (default: the first)"),
            .integer("max_rows", \.maxRows, in: 2...1_000_000, help: "draw at most the last this many rows"),
        ])
}
