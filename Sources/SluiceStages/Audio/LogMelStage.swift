import SluiceAudio
import SluiceCore

/// `whisper.log_mel`: Whisper's log-mel front end on 16 kHz mono audio, 100 frames/s.
///
/// Normalisation (the floor at max − 8, then (x + 4) / 4) needs a maximum, and the reference takes it
/// over the whole input. Policies:
/// - `global` (default): the reference; frames are held until end of stream (memory grows with the
///   input: 320 bytes per frame, 115 MB per hour), so it suits files.
/// - `block`: the maximum of each block of `block_ms`; frames leave when their block is full.
///   Bounded memory for endless streams; equals `global` when the input fits in one block.
/// - `none`: log10 values only, emitted as soon as each frame is complete.
final class LogMelStage: Stage {
    static let type = StageType(
        name: "whisper.log_mel",
        summary: "Whisper log-mel spectrogram (n_fft 400, hop 160, Slaney mels) of 16 kHz mono audio.",
        options: LogMelSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            return format(LogMelSettings.options.settings(options))
        },
        make: { options, _ in LogMelStage(settings: LogMelSettings.options.settings(options)) })

    private enum Normalization {
        case global
        case block(frames: Int)
        case none
    }

    let outputFormat: StreamFormat
    private let mels: Int
    private let normalization: Normalization
    private var spectrogram: LogMelSpectrogram
    private var held: [Float] = []
    private var position: Int64 = 0

    init(settings: LogMelSettings) {
        outputFormat = Self.format(settings)
        mels = settings.mels
        normalization =
            switch settings.normalize {
            case .global: .global
            case .block: .block(frames: Int((settings.blockSeconds * 100).rounded()))
            case .none: .none
            }
        spectrogram = LogMelSpectrogram(nMels: mels)
    }

    private static func format(_ settings: LogMelSettings) -> StreamFormat {
        .features(FeatureFormat(kind: "log_mel", dims: settings.mels, framesPerSecond: 100))
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

/// What a `whisper.log_mel` stage's options set.
struct LogMelSettings: Sendable {
    /// Where the max − 8 floor comes from.
    enum Normalize: String, Sendable, CaseIterable { case global, block, none }

    var mels = 80
    var normalize: Normalize = .global
    var blockSeconds = 30.0

    static let options = OptionTable(
        defaults: Self(),
        [
            .integer("n_mels", \.mels, in: 1...256, help: "mel bands: 80 (Whisper up to large-v2), 128 (large-v3)"),
            .choice("normalize", \.normalize, help: "where the max − 8 floor comes from: the whole input, each block, or no normalisation"),
            .milliseconds("block_ms", \.blockSeconds, in: 1_000...3_600_000, help: "block length for normalize: block"),
        ])
}
