import SluiceAudio
import SluiceVAD

/// How `StreamingTranscriber` turns audio into partial and final text.
public struct StreamingOptions: Sendable {
    /// How each step encodes the buffered audio.
    public enum Encoder: String, Sendable, CaseIterable {
        /// Zero-padded to a 30 s window, as Whisper was trained: the cost is a full window per step.
        case full
        /// The buffered audio with at least `paddingSeconds` of silence after it, and at least
        /// `windowSeconds` in all: the cost follows the buffer, and Whisper still hears where the speech stops.
        case padded
        /// Only the buffered audio (whisper.cpp's reduced audio context): the cost follows the buffer.
        case incremental
    }

    /// Decoding of each step (faster-whisper's rules; temperature fallback off for speed). Beam 8: its
    /// hypotheses share one pass over the weights, so it costs beam 5's latency with fewer errors
    /// (Benchmarks/RESULTS.md, Streaming).
    public var decoding: DecodingOptions
    /// Hypotheses that must agree before words become final (LocalAgreement-n).
    public var agreement = 2
    /// Audio between decoding steps.
    public var stepSeconds = 0.5
    /// After a step that took longer than `stepSeconds`, wait for as much audio as it took: a live stream
    /// never falls behind. Off, steps are fixed and the output does not depend on the machine's speed
    /// (for files read as fast as they decode).
    public var keepUp = true
    /// How each step encodes the buffer: `padded` by default, since a full window per step does not keep up
    /// with 0.5 s steps on 2-core AVX2 machines (Benchmarks/RESULTS.md, Whisper).
    public var encoder: Encoder = .padded
    /// The shortest window a `padded` encoder sees, and the silence it adds after the audio.
    public var windowSeconds = 8.0
    public var paddingSeconds = 1.0
    /// Audio that must follow a word before it may become final: Whisper often mishears the last words of
    /// a buffer, and consecutive hypotheses then agree on the same misreading. 0.75 s: fewer errors than
    /// 0.5 s, where 1.0 s only adds latency (Benchmarks/RESULTS.md, Streaming).
    public var settleSeconds = 0.75
    /// The same for a word an agreeing hypothesis gives a probability under 0.5: heard without confidence, it
    /// is read again with more audio after it (fewer errors for a few hundredths of a second of median
    /// latency; Benchmarks/RESULTS.md, Streaming).
    public var unsureSettleSeconds = 1.5
    /// Audio after a word by which it becomes final even if the hypotheses still disagree on it (in the
    /// newest hypothesis's spelling): bounds the latency of a word the model keeps changing its mind about.
    public var deadlineSeconds = 2.0
    /// A buffer longer than this is cut even in a sentence, at a final word that keeps `contextSeconds` (each
    /// step encodes the whole buffer, so a long one makes steps slow; ``BufferCut``).
    public var trimSeconds = 15.0
    /// Decode each step after the final words still in the buffer, forced as the start of its text: only
    /// new words are decoded, and they continue what is final. Off, each step re-reads the whole buffer,
    /// prompted with the final text before it.
    public var forcedPrefix = true
    /// With `forcedPrefix`: final audio (seconds) the buffer keeps when it is cut, so that
    /// the words that follow are heard in context (a padded window encodes `windowSeconds` anyway). 10 s
    /// with a 15 s trim: fewer errors than 7 s with 12 s, for about 0.1 s more median latency
    /// (Benchmarks/RESULTS.md, Streaming).
    public var contextSeconds = 10.0
    /// Final text (characters) before the buffer that prompts each step.
    public var promptCharacters = 200
    /// Gate on the buffered audio: no decoding without speech activity.
    public var speechGate: SpeechActivity? = SpeechActivity()
    /// Gate on Silero VAD's speech probabilities instead (its thresholds); the network is given to the
    /// transcriber (`StreamingTranscriber(model:options:speechDetector:)`). nil: the energy gate.
    public var sileroVAD: VADOptions?

    /// The front end's encoding of each step (``encoder`` with its window and padding).
    public var windowEncoding: StreamingFrontEnd.WindowEncoding {
        switch encoder {
        case .full: .full
        case .padded: .padded(minimumSeconds: windowSeconds, paddingSeconds: paddingSeconds)
        case .incremental: .incremental
        }
    }

    public init() {
        decoding = DecodingOptions()
        decoding.beamSize = 8
        decoding.temperatures = [0]
    }
}
