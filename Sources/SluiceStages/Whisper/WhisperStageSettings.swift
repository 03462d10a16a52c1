import SluiceCore
import SluiceVAD
import SluiceWhisper

/// What a `whisper.transcribe` stage's options set; also what `sluice serve` decodes uploads with.
public struct TranscribeStageSettings: Sendable {
    public var model = "tiny.en"
    public var format: TranscriptFormat = .json
    public var transcription = TranscriptionOptions()
    /// How srt and vtt cues are cut.
    public var subtitles = CueLayout()
    /// Transcribe only the speech regions Silero VAD finds (faster-whisper's `vad_filter`); nil: all the audio.
    public var speechRegions: VADOptions?

    public init() {}

    /// The stage's options, declared once.
    public static let options = OptionTable(
        defaults: Self(),
        [
            WhisperStageOptions.model(\.model),
            WhisperStageOptions.language(\.transcription.decoding.language),
            WhisperStageOptions.task(\.transcription.decoding.task),
            WhisperStageOptions.beamSize(\.transcription.decoding.beamSize),
            WhisperStageOptions.vad(\.transcription.speechGate),
            WhisperStageOptions.sileroVAD(
                \.speechRegions, help: "decode only the speech regions Silero VAD finds, as faster-whisper's vad_filter does with its defaults"),
            .choice("format", \.format, help: "json ({\"text\"}), verbose_json (segments, words), txt, srt, vtt or jsonl (a segment a line)"),
            .boolean("word_timestamps", \.transcription.wordTimestamps, help: "word-level times from cross-attention alignment"),
            .string("initial_prompt", \.transcription.initialPrompt, help: "text that primes the first window (names, spelling)"),
            .boolean("condition_on_previous_text", \.transcription.conditionOnPreviousText, .tuning, help: "prompt each window with the text so far"),
            .integer(
                "max_line_width", \.subtitles.maxLineWidth, in: 0...1000,
                help: "srt/vtt: characters a line at most (0: one cue a segment, on one line)"),
            .integer("max_line_count", \.subtitles.maxLineCount, in: 1...10, help: "srt/vtt: lines a cue at most"),
            .number(
                "max_cps", \.subtitles.maxCharactersPerSecond, in: 0...1000,
                help: "srt/vtt: characters a second at most: a cue is lengthened into the gap after it (0: no limit)"),
        ])
}

/// What a `whisper.stream` stage's options set; also what `sluice serve` streams with.
public struct StreamStageSettings: Sendable {
    public var model = "tiny.en"
    public var format: StreamTextFormat = .jsonl
    public var streaming = StreamingOptions()
    /// Where a JSON line per decoding step goes (`trace`), or nil.
    public var tracePath: String?

    /// Steps are gated on Silero VAD by default: over noise and music the energy gate opens and Whisper writes
    /// "Thank you." or "APPLAUSE" (Benchmarks/RESULTS.md, Streaming in noise).
    public init() { streaming.sileroVAD = VADOptions() }

    /// The stage's options, declared once; the defaults are `StreamingOptions`'s.
    public static let options = OptionTable(
        defaults: Self(),
        [
            WhisperStageOptions.model(\.model),
            WhisperStageOptions.language(\.streaming.decoding.language),
            WhisperStageOptions.task(\.streaming.decoding.task),
            .milliseconds("step_ms", \.streaming.stepSeconds, in: 100...10_000, help: "audio between decoding steps"),
            WhisperStageOptions.beamSize(\.streaming.decoding.beamSize),
            WhisperStageOptions.vad(\.streaming.speechGate),
            WhisperStageOptions.sileroVAD(
                \.streaming.sileroVAD, help: "gate steps on Silero VAD's speech probabilities (false: the energy gate of vad)"),
            .choice(
                "format", \.format,
                help: "jsonl (every event), txt (final text, a line per event), terminal (text with the partial line rewritten in place)"),
            .integer(
                "agreement", \.streaming.agreement, in: 1...5, .tuning,
                help: "n of LocalAgreement-n: hypotheses that must agree before words become final"),
            .boolean(
                "keep_up", \.streaming.keepUp, .tuning,
                help:
                    "after a slow step wait for as much audio as it took (live input never falls behind); false: fixed steps, output independent of machine speed"
            ),
            .milliseconds(
                "settle_ms", \.streaming.settleSeconds, in: 0...5_000, .tuning,
                help: "audio that must follow a word before it may become final (the last words of a buffer are often misheard)"),
            .milliseconds(
                "unsure_settle_ms", \.streaming.unsureSettleSeconds, in: 0...10_000, .tuning,
                help: "the same for a word a hypothesis gives a probability under 0.5"),
            .milliseconds(
                "deadline_ms", \.streaming.deadlineSeconds, in: 500...60_000, .tuning,
                help:
                    "audio after a word by which it becomes final even if hypotheses still disagree on it (bounds the latency of a word the model keeps changing)"
            ),
            .choice(
                "encoder", \.streaming.encoder, .tuning,
                help:
                    "padded encodes the buffered audio and 1 s of silence, at least window_ms (the cost follows the buffer); full pads every step to a 30 s window (as Whisper was trained: more accurate, 2-4x the cost); incremental encodes only the buffered audio"
            ),
            .milliseconds("window_ms", \.streaming.windowSeconds, in: 2_000...30_000, .tuning, help: "the shortest window the padded encoder sees"),
            .milliseconds(
                "trim_ms", \.streaming.trimSeconds, in: 4_000...28_000, .tuning,
                help:
                    "a buffer longer than this is cut in the sentence, at a final word keeping context_ms, or else at the final text (28000: only Whisper's 28 s limit)"
            ),
            .boolean(
                "prefix", \.streaming.forcedPrefix, .tuning,
                help:
                    "decode each step after the final words still in the buffer, forced as the start of its text (only new words are decoded); false: re-read the whole buffer each step"
            ),
            .milliseconds(
                "context_ms", \.streaming.contextSeconds, in: 0...20_000, .tuning,
                help: "with prefix: final audio the buffer keeps when it is cut, context for the words that follow"),
            .string(
                "trace", \.tracePath, .tuning,
                help:
                    "write a JSON line per decoding step to this file: the check that rejected its hypothesis, words a rule removed or forgot, buffer cuts"
            ),
        ])
}
