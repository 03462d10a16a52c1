import SluiceAudio
import SluiceCore

/// `audio.resample`: downmix (optional) and sample-rate conversion with libsoxr.
final class ResampleStage: Stage {
    static let type = StageType(
        name: "audio.resample",
        summary: "Convert audio to another sample rate (libsoxr) and optionally downmix to mono.",
        options: ResampleSettings.options.specs,
        negotiate: { options, inputs in try outputFormat(ResampleSettings.options.settings(options), inputs[0]) },
        make: { options, inputs in try ResampleStage(settings: ResampleSettings.options.settings(options), input: inputs[0]) })

    let outputFormat: StreamFormat
    private let inputChannels: Int
    private let downmix: Bool
    private let resampler: Resampler?
    private var position: Int64 = 0

    init(settings: ResampleSettings, input: StreamFormat) throws {
        outputFormat = try Self.outputFormat(settings, input)
        guard case .audio(let audio) = input, case .audio(let output) = outputFormat,
            let inputRate = audio.sampleRate, let channels = audio.channels, let outputChannels = output.channels
        else { throw FormatMismatch("needs audio with a known rate and channel count, gets \(input)") }
        inputChannels = channels
        downmix = outputChannels == 1 && channels > 1
        let rate = settings.sampleRate
        resampler =
            rate == inputRate
            ? nil
            : try Resampler(
                inputRate: Double(inputRate), outputRate: Double(rate), channels: outputChannels,
                quality: settings.quality == .veryHigh ? .veryHigh : .high)
    }

    private static func outputFormat(_ settings: ResampleSettings, _ input: StreamFormat) throws -> StreamFormat {
        let audio = try AudioFormatRules.audio(input, needs: "audio")
        let channels = settings.channels
        if let channels, channels != 1, let inputChannels = audio.channels, channels != inputChannels {
            throw FormatMismatch("can downmix to 1 channel only; asked for \(channels) from \(input)")
        }
        return .audio(AudioFormat(sampleRate: settings.sampleRate, channels: channels ?? audio.channels))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        let mixed = downmix ? Downmix.toMono(packet.data, channels: inputChannels) : packet.data
        try send(resampler?.process(mixed) ?? mixed, emit: emit)
    }

    func finish(emit: Emit) throws {
        if let tail = resampler?.flush() { try send(tail, emit: emit) }
    }

    private func send(_ samples: [Float], emit: Emit) throws {
        guard case .audio(let audio) = outputFormat, let channels = audio.channels, !samples.isEmpty else { return }
        let frames = samples.count / channels
        try emit(Packet(position: position, frames: frames, data: samples))
        position += Int64(frames)
    }
}

/// What an `audio.resample` stage's options set.
struct ResampleSettings: Sendable {
    enum Quality: String, Sendable, CaseIterable {
        case high
        case veryHigh = "very_high"
    }

    var sampleRate = 16_000
    var channels: Int?
    var quality: Quality = .high

    static let options = OptionTable(
        defaults: Self(),
        [
            .integer("sample_rate_hz", \.sampleRate, in: 1000...768_000, required: true, help: "output sample rate"),
            .integer("channels", \.channels, in: 1...64, help: "1 to downmix (average of channels); default keeps the input's channels"),
            .choice("quality", \.quality, .tuning, help: "soxr quality: high (HQ, 20-bit) or very_high (VHQ, 28-bit)"),
        ])
}
