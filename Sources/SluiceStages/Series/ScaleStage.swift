import SluiceCore
import SluiceSeries

/// `series.scale`: standardises each channel with statistics fitted on training data, (x − mean)/std, or undoes it.
final class ScaleStage: Stage {
    static let type = StageType(
        name: "series.scale",
        summary: "Standardise channels with training statistics: a model's scaler, or given mean/std lists.",
        options: ScaleSettings.options.specs,
        negotiate: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.scale")
            if let channels { _ = try statistics(ScaleSettings.options.settings(options), channels: channels) }
            return inputs[0]
        },
        make: { options, inputs in
            let channels = try SeriesFormatRules.channels(inputs[0], stage: "series.scale") ?? []
            let settings = ScaleSettings.options.settings(options)
            let (mean, std) = try statistics(settings, channels: channels)
            return ScaleStage(format: inputs[0], mean: mean, std: std, inverse: settings.inverse)
        })

    let outputFormat: StreamFormat
    private let mean: [Float], std: [Float]
    private let inverse: Bool

    init(format: StreamFormat, mean: [Float], std: [Float], inverse: Bool) {
        outputFormat = format
        self.mean = mean
        self.std = std
        self.inverse = inverse
    }

    /// Per-channel statistics from the options, checked against the channel count.
    static func statistics(_ settings: ScaleSettings, channels: [String]) throws -> (mean: [Float], std: [Float]) {
        if let name = settings.model {
            let config = try SeriesFormatRules.model(name).config
            let pairs = try channels.map { channel -> (Float, Float) in
                guard let index = config.channels.firstIndex(of: channel) else {
                    throw OptionProblem("model '\(name)' has no scaler for channel '\(channel)' (it has \(config.channels.joined(separator: ",")))")
                }
                return (Float(config.scaler.mean[index]), Float(config.scaler.std[index]))
            }
            return (pairs.map(\.0), pairs.map(\.1))
        }
        guard let meanList = settings.mean, let stdList = settings.std else {
            throw OptionProblem("set 'model', or both 'mean' and 'std'")
        }
        let mean = SeriesFormatRules.names(meanList).compactMap { Float($0) }, std = SeriesFormatRules.names(stdList).compactMap { Float($0) }
        guard mean.count == channels.count, std.count == channels.count, std.allSatisfy({ $0 > 0 }) else {
            throw OptionProblem("'mean' and 'std' need \(channels.count) numbers each (std > 0), one per channel")
        }
        return (mean, std)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        var scaled = packet
        let width = mean.count
        for index in scaled.data.indices {
            let c = index % width
            scaled.data[index] = inverse ? scaled.data[index] * std[c] + mean[c] : (scaled.data[index] - mean[c]) / std[c]
        }
        try emit(scaled)
    }

    func finish(emit: Emit) throws {}
}

/// What a `series.scale` stage's options set.
struct ScaleSettings: Sendable {
    var model: String?
    var mean: String?
    var std: String?
    var inverse = false

    static let options = OptionTable(
        defaults: Self(),
        [
            .string("model", \.model, help: "take mean/std from this series model's config (by channel name)"),
            .string("mean", \.mean, help: "comma-separated means, one per channel"),
            .string("std", \.std, help: "comma-separated standard deviations, one per channel"),
            .boolean("inverse", \.inverse, help: "undo the scaling: x·std + mean"),
        ])
}
