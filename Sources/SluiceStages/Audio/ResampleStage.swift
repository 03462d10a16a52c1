import SluiceAudio
import SluiceCore

/// `audio.resample`: downmix (optional) and sample-rate conversion with libsoxr.
final class ResampleStage: Stage {
    static let type = StageType(
        name: "audio.resample",
        summary: "Convert audio to another sample rate (libsoxr) and optionally downmix to mono.",
        options: [
            OptionSpec("sample_rate_hz", .integer(1000...768_000), help: "output sample rate"),
            OptionSpec("channels", .integer(1...64), optional: true,
                       help: "1 to downmix (average of channels); default keeps the input's channels"),
            OptionSpec("quality", .choice(["high", "very_high"]), default: .string("high"),
                       help: "soxr quality: high (HQ, 20-bit) or very_high (VHQ, 28-bit)"),
        ],
        negotiate: { options, inputs in try outputFormat(options, inputs[0]) },
        make: { options, inputs in try ResampleStage(options: options, input: inputs[0]) })

    let outputFormat: StreamFormat
    private let inputChannels: Int
    private let downmix: Bool
    private let resampler: Resampler?
    private var position: Int64 = 0

    init(options: OptionValues, input: StreamFormat) throws {
        outputFormat = try Self.outputFormat(options, input)
        guard case .audio(let audio) = input, case .audio(let output) = outputFormat,
            let inputRate = audio.sampleRate, let channels = audio.channels, let outputChannels = output.channels
        else { throw FormatMismatch("needs audio with a known rate and channel count, gets \(input)") }
        inputChannels = channels
        downmix = outputChannels == 1 && channels > 1
        let rate = options.integer("sample_rate_hz")
        resampler = rate == inputRate ? nil : try Resampler(
            inputRate: Double(inputRate), outputRate: Double(rate), channels: outputChannels,
            quality: options.string("quality") == "very_high" ? .veryHigh : .high)
    }

    private static func outputFormat(_ options: OptionValues, _ input: StreamFormat) throws -> StreamFormat {
        let audio = try AudioFormatRules.audio(input, needs: "audio")
        let channels = options.optionalInteger("channels")
        if let channels, channels != 1, let inputChannels = audio.channels, channels != inputChannels {
            throw FormatMismatch("can downmix to 1 channel only; asked for \(channels) from \(input)")
        }
        return .audio(AudioFormat(sampleRate: options.integer("sample_rate_hz"), channels: channels ?? audio.channels))
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
