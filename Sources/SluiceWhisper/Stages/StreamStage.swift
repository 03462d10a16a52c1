import Foundation
import SluiceAudio
import SluiceCore

/// `whisper.stream`: live transcription of 16 kHz mono audio as it arrives (``StreamingTranscriber`` driven by
/// ``RecognizerStage``); emits JSON lines of partial and final events (`StreamEvent`), or their text.
enum StreamStage {
    /// The options' defaults are `StreamingOptions`'s.
    private static let defaults = StreamingOptions()
    private static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    static let type = StageType(
        name: "whisper.stream",
        summary: "Streaming transcription (LocalAgreement): partial and final JSON events as audio arrives.",
        options: [
            WhisperStageOptions.model,
            OptionSpec("policy", .choice(["local_agreement"]), default: .string("local_agreement"),
                       help: "commit policy: local_agreement (words final once n consecutive hypotheses agree)"),
            OptionSpec("agreement", .integer(1...5), default: .integer(defaults.agreement), help: "n of LocalAgreement-n"),
            OptionSpec("step_ms", .integer(100...10_000), default: .integer(milliseconds(defaults.stepSeconds)), help: "audio between decoding steps"),
            OptionSpec("keep_up", .boolean, default: .boolean(true),
                       help: "after a slow step wait for as much audio as it took (live input never falls behind); false: fixed steps, output independent of machine speed"),
            OptionSpec("settle_ms", .integer(0...5_000), default: .integer(milliseconds(defaults.settleSeconds)),
                       help: "audio that must follow a word before it may become final (the last words of a buffer are often misheard)"),
            OptionSpec("unsure_settle_ms", .integer(0...10_000), default: .integer(milliseconds(defaults.unsureSettleSeconds)),
                       help: "the same for a word a hypothesis gives a probability under 0.5"),
            OptionSpec("deadline_ms", .integer(500...60_000), default: .integer(milliseconds(defaults.deadlineSeconds)),
                       help: "audio after a word by which it becomes final even if hypotheses still disagree on it (bounds the latency of a word the model keeps changing)"),
            OptionSpec("encoder", .choice(StreamingOptions.Encoder.allCases.map(\.rawValue)), default: .string("padded"),
                       help: "padded encodes the buffered audio and 1 s of silence, at least window_s (the cost follows the buffer); full pads every step to a 30 s window (as Whisper was trained: more accurate, 2-4x the cost); incremental encodes only the buffered audio"),
            OptionSpec("window_s", .integer(2...30), default: .integer(Int(defaults.windowSeconds)),
                       help: "the shortest window the padded encoder sees (seconds)"),
            OptionSpec("trim_s", .integer(4...28), default: .integer(Int(defaults.trimSeconds)),
                       help: "a buffer longer than this is cut in the sentence, at a final word keeping context_s, or else at the final text (seconds; 28: only the 28 s limit)"),
            OptionSpec("prefix", .boolean, default: .boolean(true),
                       help: "decode each step after the final words still in the buffer, forced as the start of its text (only new words are decoded); false: re-read the whole buffer each step"),
            OptionSpec("context_s", .integer(0...20), default: .integer(Int(defaults.contextSeconds)),
                       help: "with prefix: final audio the buffer keeps when it is cut, context for the words that follow (seconds)"),
            WhisperStageOptions.beamSize(default: defaults.decoding.beamSize), WhisperStageOptions.language, WhisperStageOptions.task,
            OptionSpec("vad", .boolean, default: .boolean(true), help: "skip decoding while the buffer holds no speech activity"),
            OptionSpec("format", .choice(StreamTextFormat.allCases.map(\.rawValue)), default: .string("jsonl"),
                       help: "jsonl (every event), text (final text, a line per event), terminal (text with the partial line rewritten in place)"),
        ],
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            try WhisperStageOptions.checkModel(options)
            return .text(TextFormat(kind: options.string("format")))
        },
        make: { options, _ in try StreamStage.make(options) })

    /// A stage of a `whisper.stream` stage's (validated) options.
    private static func make(_ options: OptionValues) throws -> RecognizerStage {
        let transcriber = StreamingTranscriber(model: try LoadedModels.whisper(options.string("model")), options: WhisperStageSettings.streaming(options))
        return RecognizerStage(recognizer: transcriber, format: StreamTextFormat(rawValue: options.string("format"))!.rendering)
    }
}

/// The formats a transcription stream is written in (interleaved needs a translation's two lanes).
enum StreamTextFormat: String, CaseIterable {
    case jsonl, text, terminal

    var rendering: StreamEventFormat { StreamEventFormat(rawValue: rawValue)! }
}
