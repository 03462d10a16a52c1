import SluiceCodec
import SluiceCore

/// `codec.encode`: mono audio at the model's rate → code frames, one per hop as the samples arrive.
final class CodecEncodeStage: Stage {
    static let type = StageType(
        name: "codec.encode",
        summary: "Encode 16 kHz mono audio to neural codec codes (causal, streaming; 2 kbps with the bundled model).",
        options: CodecStageTypes.options.specs,
        negotiate: { options, inputs in
            let model = try CodecStageTypes.model(options)
            try requireAudio(inputs[0], rate: model.config.sampleRate)
            return .codes(CodecStageTypes.codeFormat(model.config))
        },
        make: { options, _ in CodecEncodeStage(model: try CodecStageTypes.model(options)) })

    let outputFormat: StreamFormat
    private var encoder: CodecEncoderStream
    private var position: Int64 = 0

    init(model: CodecModel) {
        encoder = CodecEncoderStream(model: model)
        outputFormat = .codes(CodecStageTypes.codeFormat(model.config))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        try send(encoder.push(packet.data), emit: emit)
    }

    func finish(emit: Emit) throws {
        try send(encoder.finish(), emit: emit)
    }

    private func send(_ codes: [Int32], emit: Emit) throws {
        guard !codes.isEmpty else { return }
        let packet = Packet(position: position, codes: codes, codesPerFrame: encoder.model.config.codesPerFrame)
        position += Int64(packet.frames)
        try emit(packet)
    }

    /// Requires mono audio at `rate` (where known), naming the resampler that would fix it.
    static func requireAudio(_ format: StreamFormat, rate: Int) throws {
        let converter = "{ type: audio.resample, sample_rate_hz: \(rate), channels: 1 }"
        guard case .audio(let audio) = format else {
            throw FormatMismatch("needs audio (\(rate) Hz, mono), gets \(format)")
        }
        if let sampleRate = audio.sampleRate, sampleRate != rate {
            throw FormatMismatch("needs audio (\(rate) Hz, mono), gets \(format)", suggestedConverter: converter)
        }
        if let channels = audio.channels, channels != 1 {
            throw FormatMismatch("needs audio (\(rate) Hz, mono), gets \(format)", suggestedConverter: converter)
        }
    }
}
