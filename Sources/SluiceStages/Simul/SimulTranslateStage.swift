import Foundation
import SluiceAudio
import SluiceCore
import SluiceSimul
import SluiceWhisper

/// `simul.translate`: simultaneous translation of 16 kHz mono speech to English as it arrives (`SimulTranslator`
/// driven by ``RecognizerStage``); emits JSON lines of source and target events (`StreamEvent` with a lane), or their text.
enum SimulTranslateStage {
    static let type = StageType(
        name: "simul.translate",
        summary: "Simultaneous speech translation (AlignAtt, wait-k or LocalAgreement over Whisper): target text while the speaker talks.",
        options: SimulStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = SimulStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.translation.language)
            for code in SimulStageSettings.languageCodes(settings.languages) ?? [] {
                if let problem = WhisperLanguages.problem(with: code) { throw OptionProblem("option 'languages': \(problem)") }
            }
            // Whisper's English-only models are named *.en (a directory of another name is checked on load).
            if settings.translation.task == .translate && URL(fileURLWithPath: settings.model).lastPathComponent.hasSuffix(".en") {
                throw OptionProblem("option 'model': \(settings.model) is English-only; translation needs a multilingual model (base)")
            }
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in
            let settings = SimulStageSettings.options.settings(options)
            let translator = try SimulTranslator(model: try LoadedModels.whisper(settings.model), options: settings.translator)
            return RecognizerStage(recognizer: translator, format: settings.format)
        })
}

/// The stage types of this module.
public enum SimulStageTypes {
    public static let stages: [StageType] = [SimulTranslateStage.type]
}
