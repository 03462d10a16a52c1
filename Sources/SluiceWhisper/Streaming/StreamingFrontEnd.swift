import Foundation
import SluiceAudio

/// The front half of a streaming step, one copy for every streaming recognizer (``StreamingTranscriber``,
/// SluiceSimul's `SimulTranslator`): the growing audio buffer and its step schedule, the speech gate, the
/// buffer's log-mel features, the encoder pass and the decoder's cross-attention memory, and cutting the
/// buffer. What each step decodes from that memory is the recognizer's. Synchronous and single-stream.
///
/// Times are stream times: `consumed` samples have arrived, and the buffer holds the last of them, from
/// `bufferStart` (samples) on.
public final class StreamingFrontEnd {
    /// How each step encodes the buffered audio.
    public enum WindowEncoding: Sendable, Equatable {
        /// Zero-padded to Whisper's 30 s window, as it was trained.
        case full
        /// The buffered audio with at least `paddingSeconds` of silence after it and `minimumSeconds` in all.
        case padded(minimumSeconds: Double, paddingSeconds: Double)
        /// Only the buffered audio (whisper.cpp's reduced audio context).
        case incremental
    }

    /// The buffer as the decoder sees it after one encoder pass.
    public struct EncodedBuffer {
        /// Mel frames of buffered audio (at most a window); the encoder's padding comes after them.
        public let frames: Int
        /// The decoder's cross-attention keys and values of the encoded window.
        public let memory: CrossAttentionMemory
        /// Encoder positions that hold audio (two mel frames each).
        public var positions: Int { frames / 2 }
    }

    public static let rate = 16000
    /// Mel frames (and speech-gate energies) per second.
    static let framesPerSecond = 100.0

    public let model: WhisperModel
    public let encoding: WindowEncoding
    /// Gate on the buffered audio: without speech activity a step decodes nothing (nil: no gate).
    public let speechGate: SpeechActivity?
    /// Silero VAD's gate, in place of `speechGate` when given.
    private var sileroGate: SileroGate?
    private var schedule: StepSchedule
    private var buffer: [Float] = []
    /// Stream time (samples) of buffer[0].
    private var bufferStart = 0
    private var consumed = 0

    public init(
        model: WhisperModel, encoding: WindowEncoding, speechGate: SpeechActivity?, sileroGate: SileroGate? = nil, stepSeconds: Double,
        keepUp: Bool
    ) {
        self.model = model
        self.encoding = encoding
        self.speechGate = speechGate
        self.sileroGate = sileroGate
        schedule = StepSchedule(stepSeconds: stepSeconds, keepUp: keepUp, rate: Self.rate)
    }

    /// Seconds of audio consumed.
    public var audioEnd: Double { Double(consumed) / Double(Self.rate) }
    /// Stream time (seconds) of the buffer's first sample.
    public var bufferStartSeconds: Double { Double(bufferStart) / Double(Self.rate) }
    /// Samples in the buffer, and as seconds.
    public var bufferedSamples: Int { buffer.count }
    public var bufferedSeconds: Double { Double(buffer.count) / Double(Self.rate) }
    /// Whether audio has arrived since the last step.
    public var hasPendingAudio: Bool { schedule.hasPendingAudio }

    /// Adds 16 kHz mono samples to the buffer and runs `step` wherever ``StepSchedule`` puts a step (its
    /// wall-clock time sets the next one with `keepUp`); returns what the steps returned, in order.
    public func push<Event>(_ samples: [Float], step: () throws -> [Event]) throws -> [Event] {
        var events: [Event] = []
        try schedule.feed(
            samples, rate: Self.rate,
            append: { piece in
                buffer += piece
                consumed += piece.count
                sileroGate?.push(Array(piece))
            },
            step: {
                let started = ContinuousClock.now
                events += try step()
                return (ContinuousClock.now - started).seconds
            })
        return events
    }

    // MARK: - A step's front half

    /// Log-mel features of the whole buffer.
    public func features() -> MelFeatures {
        MelFeatures(samples: buffer, mels: model.config.mels)
    }

    /// Whether the speech gate hears speech in the buffer's features (always without a gate); with Silero's
    /// gate, whether a window of the buffer is speech.
    public func hearsSpeech(_ features: MelFeatures) -> Bool {
        if let sileroGate { return sileroGate.hearsSpeech(from: bufferStart) }
        return speechGate?.containsSpeech(features.energies[...], framesPerSecond: Self.framesPerSecond) ?? true
    }

    /// Stream time (seconds) of the energy gate's first speech frame in the buffer; nil without one, or without an
    /// energy gate.
    public func speechOnsetSeconds(_ features: MelFeatures) -> Double? {
        guard sileroGate == nil, let onset = speechGate?.speechOnset(features.energies[...]) else { return nil }
        return bufferStartSeconds + Double(onset) / Self.framesPerSecond
    }

    /// Whether the buffer ends in `seconds` without speech activity, after at least half a second of
    /// other audio (never without a gate); the energy gate judges the pause against the whole buffer's background.
    public func endsInPause(_ features: MelFeatures, seconds: Double) -> Bool {
        if let sileroGate { return sileroGate.endsInPause(from: bufferStart, seconds: seconds) }
        guard let gate = speechGate else { return false }
        return gate.endsInPause(features.energies[...], seconds: seconds, framesPerSecond: Self.framesPerSecond)
    }

    /// One encoder pass over the buffer's features (``WindowEncoding``) and the decoder's memory of it; nil
    /// when the buffer holds less than two mel frames.
    public func encode(_ features: MelFeatures) -> EncodedBuffer? {
        let windowFrames = model.windowFrames
        let frames = min(windowFrames, features.contentFrames)
        guard frames >= 2 else { return nil }
        let encodedFrames =
            switch encoding {
            case .full: windowFrames
            case .padded(let minimumSeconds, let paddingSeconds):
                model.paddedWindowFrames(audioSeconds: bufferedSeconds, minimumSeconds: minimumSeconds, paddingSeconds: paddingSeconds)
            case .incremental: frames + frames % 2
            }
        let encoded = model.encode(mel: features.window(start: 0, count: frames, total: encodedFrames))
        return EncodedBuffer(frames: frames, memory: model.crossAttentionMemory(encoded: encoded))
    }

    // MARK: - Cutting the buffer

    /// Cuts the buffer at stream time `seconds` (never past what is buffered, never back).
    public func cut(at seconds: Double) {
        let target = min(consumed, Int(seconds * Double(Self.rate)))
        guard target > bufferStart else { return }
        dropFirst(target - bufferStart)
    }

    /// Drops the buffer's first `count` samples.
    public func dropFirst(_ count: Int) {
        buffer.removeFirst(count)
        bufferStart += count
        sileroGate?.forget(before: bufferStart)
    }

    /// Keeps only the buffer's last `seconds` (a word may be starting in them).
    public func keepLast(seconds: Double) {
        let keep = Int(seconds * Double(Self.rate))
        if buffer.count > keep { dropFirst(buffer.count - keep) }
    }
}
