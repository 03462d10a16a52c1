import SluiceAudio
import SluiceCore
import SluiceVAD
import SluiceWhisper

/// The options both Whisper stages have, declared once (help and ranges); each stage binds them to its settings.
public enum WhisperStageOptions {
    static func model<Settings>(_ field: OptionBinding<Settings>.Field<String>) -> OptionBinding<Settings> {
        .string("model", field, help: "model name (sluice models list) or CTranslate2 directory")
    }

    static func language<Settings>(_ field: OptionBinding<Settings>.Field<String?>) -> OptionBinding<Settings> {
        .string("language", field, help: "language code (en, de, …); detected on multilingual models when unset")
    }

    static func task<Settings>(_ field: OptionBinding<Settings>.Field<DecodingOptions.Task>) -> OptionBinding<Settings> {
        .choice("task", field, help: "transcribe, or translate to English")
    }

    static func beamSize<Settings>(_ field: OptionBinding<Settings>.Field<Int>) -> OptionBinding<Settings> {
        .integer("beam_size", field, in: 1...16, help: "beam width at temperature 0; 1 is greedy")
    }

    static func vad<Settings>(_ field: OptionBinding<Settings>.Field<SpeechActivity?>) -> OptionBinding<Settings> {
        .toggle("vad", field, enabled: SpeechActivity(), help: "skip decoding where the audio holds no speech activity")
    }

    static func sileroVAD<Settings>(_ field: OptionBinding<Settings>.Field<VADOptions?>, help: String) -> OptionBinding<Settings> {
        .toggle("silero_vad", field, enabled: VADOptions(), help: help + "; needs sluice models fetch silero-vad")
    }

    /// Silero VAD is installed when a stage asks for it: a configuration error otherwise.
    public static func check(sileroVAD: VADOptions?) throws {
        guard sileroVAD != nil else { return }
        do { _ = try LoadedModels.sileroVAD() } catch { throw OptionProblem("option 'silero_vad': \(error)") }
    }

    /// The model is installed (or is a model directory), and a language is one Whisper knows: configuration errors otherwise.
    public static func check(model: String, language: String?) throws {
        do { _ = try ModelStore().resolve(model) } catch { throw OptionProblem("option 'model': \(error)") }
        if let language, let problem = WhisperLanguages.problem(with: language) { throw OptionProblem("option 'language': \(problem)") }
    }
}
