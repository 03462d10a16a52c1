import SluiceCore
import SluiceSeries

/// `series.window`: sliding windows of the last `length_rows` rows, every `step_rows` rows, as feature frames
/// of length × channels values (oldest row first).
final class WindowStage: Stage {
    static let type = StageType(
        name: "series.window",
        summary: "Sliding windows of series rows as feature frames (length_rows × channels values each).",
        options: WindowSettings.options.specs,
        negotiate: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.window")
            return .features(
                FeatureFormat(
                    kind: "series_window", dims: WindowSettings.options.settings(options).lengthRows * (channels?.count ?? 0), framesPerSecond: 0))
        },
        make: { options, inputs in
            let width = try SeriesFormatRules.channels(inputs[0], stage: "series.window")?.count ?? 0
            let settings = WindowSettings.options.settings(options)
            let length = settings.lengthRows
            return WindowStage(
                length: length, step: settings.stepRows, width: width,
                format: .features(FeatureFormat(kind: "series_window", dims: length * width, framesPerSecond: 0)))
        })

    let outputFormat: StreamFormat
    private let length: Int, step: Int, width: Int
    /// The last `length` rows (ring buffer, row-major).
    private var ring: [Float]
    private var seen = 0
    private var emitted: Int64 = 0

    init(length: Int, step: Int, width: Int, format: StreamFormat) {
        self.length = length
        self.step = step
        self.width = width
        outputFormat = format
        ring = [Float](repeating: 0, count: length * width)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        var frames = [Float](), count = 0
        for row in 0..<packet.frames {
            let slot = seen % length
            for c in 0..<width { ring[slot * width + c] = packet.data[row * width + c] }
            seen += 1
            guard seen >= length, (seen - length) % step == 0 else { continue }
            for k in 0..<length {
                let source = (seen + k) % length
                frames += ring[(source * width)..<((source + 1) * width)]
            }
            count += 1
        }
        guard count > 0 else { return }
        try emit(Packet(position: emitted, frames: count, data: frames))
        emitted += Int64(count)
    }

    func finish(emit: Emit) throws {}
}

/// What a `series.window` stage's options set.
struct WindowSettings: Sendable {
    var lengthRows = 1
    var stepRows = 1

    static let options = OptionTable(
        defaults: Self(),
        [
            .integer("length_rows", \.lengthRows, in: 1...100_000, required: true, help: "rows per window"),
            .integer("step_rows", \.stepRows, in: 1...100_000, help: "rows between window ends"),
        ])
}
