/// What one streaming step did with the audio and the words it heard: which check rejected the hypothesis,
/// which words a rule removed, which pending words were forgotten, where the buffer was cut. One per step
/// when tracing (the `trace` option of `whisper.stream`), to find where a word the stream never wrote went.
public struct StepTrace: Sendable, Equatable {
    /// What the step decided about its hypothesis.
    public enum Verdict: String, Sendable {
        /// The speech gate heard no speech: nothing decoded, the buffer dropped to its last half second.
        case silence
        /// Decoded and given to the agreement policy.
        case accepted
        /// The decoder thinks there is no speech and is unsure of the text (no-speech and log-probability checks).
        case noSpeech = "no_speech"
        /// The text compresses too well: repeated phrases.
        case compressionRatio = "compression_ratio"
        /// The tokens loop (a repeated n-gram).
        case loop
        /// The buffer held too little audio to encode.
        case empty
    }

    /// Why the buffer was cut after the step.
    public enum Cut: String, Sendable {
        /// At a pause after final words.
        case pause
        /// In a long sentence, past `trim_ms`.
        case trim
        /// Before the buffer reaches Whisper's window; pending words were made final first.
        case longest
        /// The gate heard only silence.
        case silence
    }

    public var audioEnd: Double
    public var bufferStart: Double
    public var verdict: Verdict
    /// The text the step decoded after its forced prefix (timestamps left out).
    public var decoded = ""
    public var noSpeechProbability: Double?
    public var averageLogProbability: Double?
    public var compressionRatio: Double?
    /// New words removed as a phrase said again right after itself (``RepetitionGuard/repeatCut(_:newFrom:)``).
    public var repeatCut: [TimedWord] = []
    /// New words the agreement policy dropped as old or as a re-read of the final text.
    public var policyDropped: [TimedWord] = []
    public var final: [TimedWord] = []
    public var partial: [TimedWord] = []
    /// Pending words forgotten without becoming final (the gate heard silence, or the buffer was cut past them).
    public var forgotten: [TimedWord] = []
    /// Where the buffer was cut (stream seconds), and why.
    public var cutAt: Double?
    public var cut: Cut?

    public init(audioEnd: Double, bufferStart: Double, verdict: Verdict) {
        self.audioEnd = audioEnd
        self.bufferStart = bufferStart
        self.verdict = verdict
    }

    /// One JSON line: `{"audio_end","buffer_start","verdict","decoded",…}`, texts as strings, absent fields left out.
    public var jsonLine: String {
        func text(_ words: [TimedWord]) -> JSONText { .string(words.map(\.word).joined()) }
        var fields: [(key: String, value: JSONText)] = [
            ("audio_end", .number(audioEnd, decimals: 3)), ("buffer_start", .number(bufferStart, decimals: 3)),
            ("verdict", .string(verdict.rawValue)),
        ]
        if verdict != .silence && verdict != .empty { fields.append(("decoded", .string(decoded))) }
        if let noSpeechProbability { fields.append(("no_speech_prob", .number(noSpeechProbability, decimals: 4))) }
        if let averageLogProbability { fields.append(("avg_logprob", .number(averageLogProbability, decimals: 4))) }
        if let compressionRatio { fields.append(("compression_ratio", .number(compressionRatio, decimals: 3))) }
        for (key, words) in [
            ("repeat_cut", repeatCut), ("policy_dropped", policyDropped), ("final", final), ("partial", partial), ("forgotten", forgotten),
        ]
        where !words.isEmpty {
            fields.append((key, text(words)))
        }
        if let cutAt, let cut { fields += [("cut_at", .number(cutAt, decimals: 3)), ("cut", .string(cut.rawValue))] }
        return JSONText.object(fields).serialized + "\n"
    }
}
