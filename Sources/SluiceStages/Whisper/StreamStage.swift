import Foundation
import SluiceAudio
import SluiceCore
import SluiceWhisper

/// `whisper.stream`: live transcription of 16 kHz mono audio as it arrives (``StreamingTranscriber`` driven by
/// ``RecognizerStage``); emits JSON lines of partial and final events (`StreamEvent`), or their text.
enum StreamStage {
    static let type = StageType(
        name: "whisper.stream",
        summary: "Streaming transcription (LocalAgreement): partial and final JSON events as audio arrives.",
        options: StreamStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = StreamStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.streaming.decoding.language)
            try WhisperStageOptions.check(sileroVAD: settings.streaming.sileroVAD)
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in
            let settings = StreamStageSettings.options.settings(options)
            let transcriber = StreamingTranscriber(
                model: try LoadedModels.whisper(settings.model), options: settings.streaming,
                speechDetector: settings.streaming.sileroVAD == nil ? nil : try LoadedModels.sileroVAD())
            if let path = settings.tracePath {
                let file = try StepTraceFile(path: path)
                transcriber.onStep = file.write
            }
            return RecognizerStage(recognizer: transcriber, format: settings.format.rendering)
        })
}

/// The formats a transcription stream is written in (interleaved needs a translation's two lanes).
public enum StreamTextFormat: String, Sendable, CaseIterable {
    case jsonl, txt, terminal

    var rendering: StreamEventFormat { StreamEventFormat(rawValue: rawValue)! }
}
