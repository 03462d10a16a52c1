import Foundation
import SluiceAudio
import SluiceCore
import SluiceWhisper

/// `simul.translate`: simultaneous translation of 16 kHz mono speech to English as it arrives (`SimulTranslator`
/// driven by SluiceWhisper's `RecognizerStage`); emits JSON lines of source and target events (`StreamEvent`
/// with a lane), or their text.
enum SimulTranslateStage {
    static let type = StageType(
        name: "simul.translate",
        summary: "Simultaneous speech translation (AlignAtt, wait-k or LocalAgreement over Whisper): target text while the speaker talks.",
        options: [
            OptionSpec("model", .string, default: .string("base"), help: "a multilingual Whisper model (sluice models list) or CTranslate2 directory"),
            OptionSpec("policy", .choice(SimulPolicy.Kind.allCases.map(\.rawValue)), default: .string(SimulPolicy.Kind.alignAtt.rawValue),
                       help: "align_att (write until a token attends to the newest audio), wait_k (stay k source words behind), local_agreement (write what consecutive hypotheses share)"),
            OptionSpec("latency", .choice(LatencyLevel.allCases.map(\.rawValue)), default: .string("medium"),
                       help: "low … high: AlignAtt's frame guard, wait-k's k or LocalAgreement's step (see SimulPolicy.preset)"),
            OptionSpec("step_ms", .integer(100...10_000), optional: true, help: "audio between decisions (default: the latency preset's)"),
            WhisperStageOptions.language,
            OptionSpec("task", .choice(["translate", "transcribe"]), default: .string("translate"),
                       help: "translate (to English), or transcribe (the same policies on the spoken language)"),
            OptionSpec("source_lane", .boolean, default: .boolean(false),
                       help: "also write the transcript in the spoken language (a second decoding per step)"),
            OptionSpec("window_s", .integer(2...30), default: .integer(8),
                       help: "seconds the encoder sees per step: the audio padded with silence to this (30: Whisper's full window, the most accurate and 4x the cost)"),
            OptionSpec("keep_up", .boolean, default: .boolean(true),
                       help: "after a slow step wait for as much audio as it took (live input never falls behind); false: fixed steps"),
            OptionSpec("vad", .boolean, default: .boolean(true), help: "skip decoding without speech activity; a pause ends the segment"),
            OptionSpec("format", .choice(SimulTextFormat.allCases.map(\.rawValue)), default: .string("jsonl"),
                       help: "jsonl (every event), text (target text, a line per write), terminal (partial target rewritten in place), interleaved (EAST: source <|end-of-read|> target <|end-of-write|>)"),
        ],
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            try WhisperStageOptions.checkModel(options)
            // Whisper's English-only models are named *.en (a directory of another name is checked on load).
            let model = options.string("model")
            if options.string("task") == "translate" && URL(fileURLWithPath: model).lastPathComponent.hasSuffix(".en") {
                throw OptionProblem("option 'model': \(model) is English-only; translation needs a multilingual model (base)")
            }
            return .text(TextFormat(kind: options.string("format")))
        },
        make: { options, _ in try SimulTranslateStage.make(options) })

    /// A stage of a `simul.translate` stage's (validated) options.
    private static func make(_ options: OptionValues) throws -> RecognizerStage {
        let translator = try SimulTranslator(model: try LoadedModels.whisper(options.string("model")), options: settings(options))
        return RecognizerStage(recognizer: translator, format: SimulTextFormat(rawValue: options.string("format"))!)
    }

    /// The translator's options from the stage's (validated) options.
    static func settings(_ options: OptionValues) -> SimulOptions {
        var settings = SimulOptions(policy: SimulPolicy.Kind(rawValue: options.string("policy"))!,
                                    latency: LatencyLevel(rawValue: options.string("latency"))!)
        if let step = options.optionalInteger("step_ms") { settings.stepSeconds = Double(step) / 1000 }
        settings.language = options.optionalString("language")
        settings.task = DecodingOptions.Task(rawValue: options.string("task"))!
        settings.sourceLane = options.boolean("source_lane") || options.string("format") == SimulTextFormat.interleaved.rawValue
        settings.windowSeconds = Double(options.integer("window_s"))
        settings.keepUp = options.boolean("keep_up")
        if !options.boolean("vad") { settings.speechGate = nil }
        return settings
    }
}

/// The stage types of this module.
public enum SimulStageTypes {
    public static let stages: [StageType] = [SimulTranslateStage.type]
}
