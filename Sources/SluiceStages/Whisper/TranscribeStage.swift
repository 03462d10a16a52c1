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
        options: TranscribeStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = TranscribeStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.transcription.decoding.language)
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in try TranscribeStage(settings: TranscribeStageSettings.options.settings(options)) })

    let outputFormat: StreamFormat
    private let transcriber: Transcriber
    private let format: TranscriptFormat
    private let layout: CueLayout
    private let features: MelFeatureBuilder

    init(settings: TranscribeStageSettings) throws {
        let model = try LoadedModels.whisper(settings.model)
        transcriber = Transcriber(model: model, options: settings.transcription)
        format = settings.format
        layout = settings.subtitles
        outputFormat = .text(TextFormat(kind: format.rawValue))
        features = MelFeatureBuilder(mels: model.config.mels)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        features.push(packet.data)
    }

    func finish(emit: Emit) throws {
        let transcript = try transcriber.transcribe(features.finish())
        try emit(Packet(position: 0, text: [format.render(transcript, layout: layout)]))
    }
}

/// The stage types of this module.
public enum WhisperStageTypes {
    public static let stages: [StageType] = [TranscribeStage.type, StreamStage.type]
}
