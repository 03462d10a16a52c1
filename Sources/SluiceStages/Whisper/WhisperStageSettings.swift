import SluiceCore
import SluiceWhisper

/// What the Whisper stages' options mean for decoding, read once for the stages and for `sluice serve`.
public enum WhisperStageSettings {
    /// The streaming options of a `whisper.stream` stage's (validated) options.
    public static func streaming(_ options: OptionValues) -> StreamingOptions {
        var streaming = StreamingOptions()
        streaming.agreement = options.integer("agreement")
        streaming.stepSeconds = Double(options.integer("step_ms")) / 1000
        streaming.settleSeconds = Double(options.integer("settle_ms")) / 1000
        streaming.unsureSettleSeconds = Double(options.integer("unsure_settle_ms")) / 1000
        streaming.deadlineSeconds = Double(options.integer("deadline_ms")) / 1000
        streaming.keepUp = options.boolean("keep_up")
        streaming.encoder = StreamingOptions.Encoder(rawValue: options.string("encoder"))!
        streaming.windowSeconds = Double(options.integer("window_s"))
        streaming.trimSeconds = Double(options.integer("trim_s"))
        streaming.forcedPrefix = options.boolean("prefix")
        streaming.contextSeconds = Double(options.integer("context_s"))
        streaming.decoding = WhisperStageOptions.decoding(options, base: streaming.decoding)
        if !options.boolean("vad") { streaming.speechGate = nil }
        return streaming
    }

    /// The decoding options of a `whisper.transcribe` stage's (validated) options.
    public static func transcription(_ options: OptionValues) -> DecodingOptions {
        var decoding = WhisperStageOptions.decoding(options, base: DecodingOptions())
        decoding.wordTimestamps = options.boolean("word_timestamps")
        decoding.initialPrompt = options.optionalString("initial_prompt")
        decoding.conditionOnPreviousText = options.boolean("condition_on_previous_text")
        return decoding
    }
}
