import SluiceAudio
import SluiceCore
import SluiceVAD
import SluiceWhisper

/// `whisper.transcribe`: offline transcription of a whole input (16 kHz mono audio), emitted at end of
/// stream as one text record in the chosen format (json, verbose_json, txt, srt, vtt).
///
/// Log-mel frames are computed as audio arrives (the samples are not kept, except with `silero_vad`, which
/// finds the speech of the whole input first); decoding starts at end of stream because the reference
/// normalises over the whole input and seeks over it window by window.
final class TranscribeStage: Stage {
    static let type = StageType(
        name: "whisper.transcribe",
        summary: "Transcribe (or translate) 16 kHz mono audio with Whisper; emits the transcript at end of stream.",
        options: TranscribeStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = TranscribeStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.transcription.decoding.language)
            try WhisperStageOptions.check(sileroVAD: settings.speechRegions)
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in try TranscribeStage(settings: TranscribeStageSettings.options.settings(options)) })

    let outputFormat: StreamFormat
    private let transcriber: Transcriber
    private let format: TranscriptFormat
    private let layout: CueLayout
    private let features: MelFeatureBuilder
    /// With `silero_vad`: the filter, and the input's samples (it needs them all before features are computed).
    private let speechFilter: SpeechFilter?
    private var samples: [Float] = []

    init(settings: TranscribeStageSettings) throws {
        let model = try LoadedModels.whisper(settings.model)
        transcriber = Transcriber(model: model, options: settings.transcription)
        format = settings.format
        layout = settings.subtitles
        outputFormat = .text(TextFormat(kind: format.rawValue))
        features = MelFeatureBuilder(mels: model.config.mels)
        speechFilter = try settings.speechRegions.map { SpeechFilter(network: try LoadedModels.sileroVAD(), options: $0) }
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        if speechFilter != nil { samples += packet.data } else { features.push(packet.data) }
    }

    func finish(emit: Emit) throws {
        let transcript: Transcript
        if let speechFilter {
            let speech = speechFilter.speech(in: samples)
            transcript = speech.restoring(try transcriber.transcribe(speech.features(mels: transcriber.model.config.mels)))
        } else {
            transcript = try transcriber.transcribe(features.finish())
        }
        try emit(Packet(position: 0, text: [format.render(transcript, layout: layout)]))
    }
}

/// The stage types of this module.
public enum WhisperStageTypes {
    public static let stages: [StageType] = [TranscribeStage.type, StreamStage.type]
}
