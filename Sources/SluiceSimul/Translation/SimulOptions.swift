import SluiceAudio
import SluiceWhisper

/// How `SimulTranslator` reads audio and writes text.
public struct SimulOptions: Sendable {
    /// The target lane's read/write policy.
    public var policy: SimulPolicy
    /// Audio between decisions.
    public var stepSeconds: Double
    /// `translate` (to English) or `transcribe` (the target is the spoken language).
    public var task: DecodingOptions.Task = .translate
    /// The spoken language; nil identifies it as the speech arrives (``LanguageDecision``: nothing is written
    /// before it is decided, since on short audio identification is often wrong, and so is a translation from it).
    public var language: String?
    /// When identifying: the languages the stream may be in (nil: any of Whisper's), and the decision rule.
    public var languages: Set<String>?
    public var languageRule = LanguageDecision()
    /// Also write the source lane: the transcript in the spoken language (AlignAtt at the target's frame
    /// guard, or 25 frames), which costs a second decoding per step.
    public var sourceLane = false
    /// Seconds the encoder sees each step: the buffer padded with silence to this length, and to at least
    /// `paddingSeconds` past the audio (30 is Whisper's full window). 8 s: a quarter of the full window's
    /// cost for the same translations; no padding makes base loop (Benchmarks/RESULTS.md).
    public var windowSeconds = 8.0
    public var paddingSeconds = 1.0
    /// After a step that took longer than `stepSeconds`, wait for as much audio as it took (live input never
    /// falls behind); off, steps are fixed and the output does not depend on the machine's speed.
    public var keepUp = true
    /// Gate on the buffered audio: no decoding without speech activity; a trailing pause this long
    /// (`pauseSeconds`) ends the segment and writes what is pending.
    public var speechGate: SpeechActivity? = Self.speechActivity
    public var pauseSeconds = 0.8
    /// Nothing is decoded before a segment holds this much audio (SimulStreaming's `audio_min_len`): the
    /// first half second rarely holds a whole word, and a guess written then cannot be taken back.
    public var minimumSeconds = 1.0
    /// Silence kept before a segment's first speech frame; the rest is dropped before the segment's first write.
    public var leadingSilenceSeconds = 0.3
    /// Tokens of earlier segments' written text that prompt each step (`<|startofprev|>`). Off by default:
    /// prompted with its own last sentence, base translates the next ones as copies of it
    /// (Benchmarks/RESULTS.md).
    public var contextTokens = 0
    /// A segment longer than this is cut after the last written word (its text becomes the prompt).
    public var maxSegmentSeconds = 15.0

    /// The gate's settings: its absolute floor 10 dB lower than transcription's (-65 dBFS of the first
    /// difference): FLEURS' quietly recorded read speech (peaks near -28 dBFS) stays under -55 for whole
    /// sentences, which the gate took for silence, ending segments mid-sentence and dropping their audio
    /// unheard. Steady noise is still kept out by the margin over the span's own background.
    public static var speechActivity: SpeechActivity {
        var gate = SpeechActivity()
        gate.floorDecibels = -65
        return gate
    }

    /// The preset of `policy` at `latency` (``SimulPolicy/preset(_:latency:)``).
    public init(policy: SimulPolicy.Kind = .alignAtt, latency: LatencyLevel = .medium) {
        (self.policy, stepSeconds) = SimulPolicy.preset(policy, latency: latency)
    }

    /// The source lane's policy: AlignAtt, with the target's guard when the target uses AlignAtt.
    var sourcePolicy: SimulPolicy {
        if case .alignAtt = policy { return policy }
        return .alignAtt(frames: 25)
    }
}
