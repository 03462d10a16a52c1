import Foundation
import SluiceAudio
import SluiceCore
import SluiceSimul
import SluiceWhisper

/// What a `simul.translate` stage's options set.
public struct SimulStageSettings: Sendable {
    public var model = "base"
    public var policy: SimulPolicy.Kind = .alignAtt
    public var latency: LatencyLevel = .medium
    /// Audio between decisions; nil takes the latency preset's.
    public var stepSeconds: Double?
    public var format: StreamEventFormat = .jsonl
    /// The languages identification may choose from, comma-separated (`de,es`); nil: any.
    public var languages: String?
    /// Everything but the policy and its step, which `translator` derives from `policy` and `latency`.
    public var translation = SimulOptions()

    public init() {}

    /// The translator's options: the preset of `policy` at `latency`, the step if one is set, and the
    /// source lane that interleaved output needs.
    public var translator: SimulOptions {
        var options = translation
        (options.policy, options.stepSeconds) = SimulPolicy.preset(policy, latency: latency)
        if let stepSeconds { options.stepSeconds = stepSeconds }
        if let codes = Self.languageCodes(languages) { options.languages = Set(codes) }
        if format == .interleaved { options.sourceLane = true }
        return options
    }

    /// The codes of a comma-separated list (`de, es`), or nil for none.
    public static func languageCodes(_ list: String?) -> [String]? {
        guard let list else { return nil }
        let codes = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return codes.isEmpty ? nil : codes
    }

    /// The stage's options, declared once.
    public static let options = OptionTable(
        defaults: Self(),
        [
            .string("model", \.model, help: "a multilingual Whisper model (sluice models list) or CTranslate2 directory"),
            .string(
                "language", \.translation.language,
                help: "the spoken language (de, es, …); when unset it is identified as the speech arrives, and nothing is written before"),
            .string(
                "languages", \.languages,
                help: "when identifying: the languages the speech may be in, comma-separated (de,es); unset: any Whisper language"),
            .choice("task", \.translation.task, help: "translate (to English), or transcribe (the same policies on the spoken language)"),
            .choice(
                "policy", \.policy,
                help:
                    "align_att (write until a token attends to the newest audio), wait_k (stay k source words behind), local_agreement (write what consecutive hypotheses share)"
            ),
            .choice("latency", \.latency, help: "low … high: AlignAtt's frame guard, wait-k's k or LocalAgreement's step (see SimulPolicy.preset)"),
            .milliseconds("step_ms", \.stepSeconds, in: 100...10_000, help: "audio between decisions (default: the latency preset's)"),
            .toggle(
                "vad", \.translation.speechGate, enabled: SimulOptions.speechActivity,
                help: "skip decoding without speech activity; a pause ends the segment"),
            .choice(
                "format", \.format,
                help:
                    "jsonl (every event), txt (target text, a line per write), terminal (partial target rewritten in place), interleaved (EAST: source <|end-of-read|> target <|end-of-write|>)"
            ),
            .boolean("source_lane", \.translation.sourceLane, help: "also write the transcript in the spoken language (a second decoding per step)"),
            .milliseconds(
                "window_ms", \.translation.windowSeconds, in: 2_000...30_000, .tuning,
                help:
                    "audio the encoder sees per step: the buffer padded with silence to this (30000: Whisper's full window, the most accurate and 4x the cost)"
            ),
            .boolean(
                "keep_up", \.translation.keepUp, .tuning,
                help: "after a slow step wait for as much audio as it took (live input never falls behind); false: fixed steps"),
        ])
}
