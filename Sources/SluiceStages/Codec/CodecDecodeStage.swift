import SluiceCodec
import SluiceCore

/// `codec.decode`: code frames → mono audio at the model's rate, one hop of samples per frame.
final class CodecDecodeStage: Stage {
    static let type = StageType(
        name: "codec.decode",
        summary: "Decode neural codec codes to 16 kHz mono audio (causal, frame by frame).",
        options: CodecStageTypes.options.specs,
        negotiate: { options, inputs in
            let model = try CodecStageTypes.model(options)
            try requireCodes(inputs[0], of: model.config)
            return .audio(AudioFormat(sampleRate: model.config.sampleRate, channels: 1))
        },
        make: { options, _ in CodecDecodeStage(model: try CodecStageTypes.model(options)) })

    let outputFormat: StreamFormat
    private var decoder: CodecDecoderStream
    private var position: Int64 = 0

    init(model: CodecModel) {
        decoder = CodecDecoderStream(model: model)
        outputFormat = .audio(AudioFormat(sampleRate: model.config.sampleRate, channels: 1))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        try send(decoder.push(packet.codes), emit: emit)
    }

    /// Flushes what the decoder holds back (the vocos decoder's last hop).
    func finish(emit: Emit) throws {
        try send(decoder.finish(), emit: emit)
    }

    private func send(_ samples: [Float], emit: Emit) throws {
        guard !samples.isEmpty else { return }
        try emit(Packet(position: position, frames: samples.count, data: samples))
        position += Int64(samples.count)
    }

    /// Requires codes laid out as `config`'s quantizer makes them (where known).
    static func requireCodes(_ format: StreamFormat, of config: CodecConfig) throws {
        guard case .codes(let codes) = format else { throw FormatMismatch("needs codec codes, gets \(format)") }
        let expected = CodecStageTypes.codeFormat(config)
        let pairs: [(String, Int?, Int?)] = [
            ("groups", codes.groups, expected.groups), ("levels", codes.levels, expected.levels),
            ("codebook size", codes.codebookSize, expected.codebookSize), ("sample rate", codes.sampleRate, expected.sampleRate),
            ("hop", codes.hop, expected.hop),
        ]
        for (name, got, want) in pairs {
            if let got, got != want {
                throw FormatMismatch("needs \(expected), gets codes with \(name) \(got)")
            }
        }
    }
}
