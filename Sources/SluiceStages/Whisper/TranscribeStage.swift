import SluiceAudio
import SluiceCore
import SluiceWhisper

/// `whisper.transcribe`: offline transcription of a whole input (16 kHz mono audio), emitted at end of
/// stream as one text record in the chosen format (json, verbose_json, txt, srt, vtt).
///
/// Log-mel frames are computed as audio arrives (the samples are not kept); decoding starts at end of
/// stream because the reference normalises over the whole input and seeks over it window by window.
final class TranscribeStage: Stage {
    static let type = StageType(
        name: "whisper.transcribe",
        summary: "Transcribe (or translate) 16 kHz mono audio with Whisper; emits the transcript at end of stream.",
        options: [
            WhisperStageOptions.model, WhisperStageOptions.beamSize(default: DecodingOptions().beamSize), WhisperStageOptions.language, WhisperStageOptions.task,
            OptionSpec("word_timestamps", .boolean, default: .boolean(false), help: "word-level times from cross-attention alignment"),
            OptionSpec("initial_prompt", .string, optional: true, help: "text that primes the first window (names, spelling)"),
            OptionSpec("condition_on_previous_text", .boolean, default: .boolean(true), help: "prompt each window with the text so far"),
            OptionSpec("format", .choice(TranscriptFormat.allCases.map(\.rawValue)), default: .string("json"),
                       help: "json ({\"text\"}), verbose_json (segments, words), txt, srt or vtt"),
        ],
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            try WhisperStageOptions.checkModel(options)
            return .text(TextFormat(kind: options.string("format")))
        },
        make: { options, _ in try TranscribeStage(options: options) })

    let outputFormat: StreamFormat
    private let transcriber: Transcriber
    private let format: TranscriptFormat
    private let features: MelFeatureBuilder

    init(options: OptionValues) throws {
        let model = try LoadedModels.whisper(options.string("model"))
        transcriber = Transcriber(model: model, options: WhisperStageSettings.transcription(options))
        format = TranscriptFormat(rawValue: options.string("format"))!
        outputFormat = .text(TextFormat(kind: format.rawValue))
        features = MelFeatureBuilder(mels: model.config.mels)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        features.push(packet.data)
    }

    func finish(emit: Emit) throws {
        let transcript = try transcriber.transcribe(features.finish())
        try emit(Packet(position: 0, text: [format.render(transcript)]))
    }
}

/// The stage types of this module.
public enum WhisperStageTypes {
    public static let stages: [StageType] = [TranscribeStage.type, StreamStage.type]
}
