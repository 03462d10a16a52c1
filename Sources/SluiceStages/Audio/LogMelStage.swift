import SluiceAudio
import SluiceCore

/// `whisper.log_mel`: Whisper's log-mel front end on 16 kHz mono audio, 100 frames/s.
///
/// Normalisation (the floor at max − 8, then (x + 4) / 4) needs a maximum, and the reference takes it
/// over the whole input. Policies:
/// - `global` (default): the reference; frames are held until end of stream (memory grows with the
///   input: 320 bytes per frame, 115 MB per hour), so it suits files.
/// - `block`: the maximum of each block of `block_s` seconds; frames leave when their block is full.
///   Bounded memory for endless streams; equals `global` when the input fits in one block.
/// - `none`: log10 values only, emitted as soon as each frame is complete.
final class LogMelStage: Stage {
    static let type = StageType(
        name: "whisper.log_mel",
        summary: "Whisper log-mel spectrogram (n_fft 400, hop 160, Slaney mels) of 16 kHz mono audio.",
        options: [
            OptionSpec("n_mels", .integer(1...256), default: .integer(80),
                       help: "mel bands: 80 (Whisper up to large-v2), 128 (large-v3)"),
            OptionSpec("normalize", .choice(["global", "block", "none"]), default: .string("global"),
                       help: "where the max − 8 floor comes from: the whole input, each block, or no normalisation"),
            OptionSpec("block_s", .number(1...3600), default: .number(30), help: "block length for normalize: block"),
        ],
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            return format(options)
        },
        make: { options, _ in LogMelStage(options: options) })

    private enum Normalization { case global, block(frames: Int), none }

    let outputFormat: StreamFormat
    private let mels: Int
    private let normalization: Normalization
    private var spectrogram: LogMelSpectrogram
    private var held: [Float] = []
    private var position: Int64 = 0

    init(options: OptionValues) {
        outputFormat = Self.format(options)
        mels = options.integer("n_mels")
        switch options.string("normalize") {
        case "global": normalization = .global
        case "block": normalization = .block(frames: Int(options.number("block_s") * 100))
        default: normalization = .none
        }
        spectrogram = LogMelSpectrogram(nMels: mels)
    }

    private static func format(_ options: OptionValues) -> StreamFormat {
        .features(FeatureFormat(kind: "log_mel", dims: options.integer("n_mels"), framesPerSecond: 100))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        try take(spectrogram.push(packet.data), final: false, emit: emit)
    }

    func finish(emit: Emit) throws {
        try take(spectrogram.finish(), final: true, emit: emit)
    }

    private func take(_ frames: [Float], final: Bool, emit: Emit) throws {
        switch normalization {
        case .none:
            try send(frames, emit: emit)
        case .global:
            held.append(contentsOf: frames)
            if final {
                WhisperMelNormalization.normalize(&held)
                try send(held, emit: emit)
                held = []
            }
        case .block(let blockFrames):
            held.append(contentsOf: frames)
            let blockValues = blockFrames * mels
            while held.count >= blockValues || (final && !held.isEmpty) {
                var block = Array(held.prefix(blockValues))
                held.removeFirst(block.count)
                WhisperMelNormalization.normalize(&block)
                try send(block, emit: emit)
            }
        }
    }

    /// Emits `values` in packets of at most one second of frames.
    private func send(_ values: [Float], emit: Emit) throws {
        let framesPerPacket = 100
        var start = 0
        while start < values.count {
            let end = min(values.count, start + framesPerPacket * mels)
            let frames = (end - start) / mels
            try emit(Packet(position: position, frames: frames, data: Array(values[start..<end])))
            position += Int64(frames)
            start = end
        }
    }
}
