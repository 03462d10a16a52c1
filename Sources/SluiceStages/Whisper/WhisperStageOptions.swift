import SluiceCore
import SluiceWhisper

/// Options the Whisper stages share, declared once.
public enum WhisperStageOptions {
    public static let model = OptionSpec("model", .string, default: .string("tiny.en"), help: "model name (sluice models list) or CTranslate2 directory")
    public static let language = OptionSpec("language", .string, optional: true, help: "language code (en, de, …); detected on multilingual models when unset")
    public static let task = OptionSpec("task", .choice(["transcribe", "translate"]), default: .string("transcribe"), help: "transcribe, or translate to English")

    public static func beamSize(default width: Int) -> OptionSpec {
        OptionSpec("beam_size", .integer(1...16), default: .integer(width), help: "beam width at temperature 0; 1 is greedy")
    }

    /// The model named in `options` is installed (or is a model directory): a configuration error otherwise.
    public static func checkModel(_ options: OptionValues) throws {
        do { _ = try ModelStore().resolve(options.string("model")) } catch { throw OptionProblem("option 'model': \(error)") }
    }

    /// Decoding options from the shared stage options.
    public static func decoding(_ options: OptionValues, base: DecodingOptions) -> DecodingOptions {
        var decoding = base
        decoding.beamSize = options.integer("beam_size")
        decoding.language = options.optionalString("language")
        decoding.task = DecodingOptions.Task(rawValue: options.string("task"))!
        return decoding
    }
}
