import Foundation
import SluiceAudio

/// How far a transcription has got after a window, and the segments that window finished.
public struct TranscriptionUpdate: Sendable, Equatable, Codable {
    /// The segments finished in this window, numbered on from the previous update's.
    public var segments: [TranscriptSegment]
    /// Seconds of audio done.
    public var done: Double
    /// Seconds of audio in all.
    public var total: Double
    /// The language decoded (detected at the first window with speech on multilingual models).
    public var language: String?

    public init(segments: [TranscriptSegment], done: Double, total: Double, language: String?) {
        self.segments = segments
        self.done = done
        self.total = total
        self.language = language
    }
}

/// One transcription in progress, a window at a time, as faster-whisper's `generate_segments` does it: decode
/// a window, cut it into segments at timestamp pairs, seek to the last complete segment (or the last word),
/// and prompt the next window with the text so far.
struct TranscriptionRun {
    private let transcriber: Transcriber
    private let features: MelFeatures
    private let statistics: TranscriptionStatistics?
    private var generator: SplitMix64
    private var allTokens: [Int] = []
    private var promptResetSince = 0
    private var lastSpeechTime = 0.0
    private var segments: [TranscriptSegment] = []
    private var language: String?
    private var seek = 0
    private var finished = false
    /// Checked between tokens: once true, the window in hand ends at once (its result is not wanted).
    var isCancelled: (() -> Bool)?

    private static let framesPerSecond = 100.0

    init(transcriber: Transcriber, features: MelFeatures, statistics: TranscriptionStatistics?) {
        self.transcriber = transcriber
        self.features = features
        self.statistics = statistics
        let options = transcriber.options, model = transcriber.model
        generator = SplitMix64(seed: options.decoding.seed)
        if let initialPrompt = options.initialPrompt?.trimmingCharacters(in: .whitespacesAndNewlines), !initialPrompt.isEmpty {
            allTokens = model.tokenizer.encode(" " + initialPrompt)
        }
        language = options.decoding.language ?? (model.tokens.isMultilingual ? nil : "en")
    }

    /// Everything decoded so far.
    var transcript: Transcript {
        Transcript(
            language: language ?? "en", task: transcriber.options.decoding.task.rawValue, duration: features.duration, segments: segments)
    }

    /// Decodes the next window (skipping silent ones) and says what it added; nil once the audio is done.
    mutating func next() throws -> TranscriptionUpdate? {
        guard !finished else { return nil }
        let before = segments.count
        finished = try !advance()
        let total = Double(features.contentFrames) / Self.framesPerSecond
        return TranscriptionUpdate(
            segments: Array(segments[before...]), done: finished ? total : Double(seek) / Self.framesPerSecond, total: total,
            language: language)
    }

    /// Decodes one window, or skips it when it is silent; false when there was nothing left to decode.
    private mutating func advance() throws -> Bool {
        let model = transcriber.model, options = transcriber.options, windowDecoder = transcriber.windowDecoder
        let contentFrames = features.contentFrames
        guard seek < contentFrames else { return false }
        let timeOffset = Double(seek) / Self.framesPerSecond
        let segmentSize = min(model.windowFrames, contentFrames - seek)
        if let gate = options.speechGate, !gate.containsSpeech(features.energies[seek..<(seek + segmentSize)], framesPerSecond: Self.framesPerSecond)
        {
            seek += segmentSize  // silence or steady noise: nothing to decode
            return true
        }
        let encodeStart = ContinuousClock.now
        let encoded = model.encode(mel: features.window(start: seek, count: segmentSize, total: model.windowFrames))
        let memory = model.crossAttentionMemory(encoded: encoded)
        let decodeStart = ContinuousClock.now
        defer { statistics?.add(window: decodeStart - encodeStart, decoding: .now - decodeStart) }
        if language == nil { language = model.detectLanguage(memory: memory).code }
        let prompt = windowDecoder.prompt(previous: Array(allTokens[promptResetSince...]), language: language)
        let result: WindowResult
        do {
            result = try windowDecoder.decode(
                memory: memory, prompt: prompt, abandons: isCancelled.map { cancelled in { _ in cancelled() } }, generator: &generator)
        } catch let failure as DecodingFailure {
            throw DecodingFailure("the window at \(String(format: "%.2f", timeOffset)) s: \(failure)")
        }
        statistics?.tokens += result.tokens.count

        if let threshold = options.decoding.noSpeechThreshold, result.noSpeechProbability > threshold,
            !(options.decoding.logProbThreshold.map { result.averageLogProbability > $0 } ?? false)
        {
            seek += segmentSize  // silence: skip the window
            return true
        }
        let previousSeek = seek
        var split = SegmentSplitter(tokens: model.tokens).split(result.tokens, timeOffset: timeOffset, seek: seek, segmentSize: segmentSize)
        seek = split.nextSeek
        if options.wordTimestamps {
            let aligner = WordAligner(model: model, options: options.decoding)
            aligner.addWords(
                to: &split.segments, memory: memory, startSequence: windowDecoder.startSequence(language: language),
                windowStart: timeOffset, frames: segmentSize, lastSpeechTime: lastSpeechTime)
            // The last word's end, or the last segment's when no segment has words.
            let lastEnd = split.segments.last(where: { !($0.words ?? []).isEmpty })?.words?.last?.end ?? split.segments.last?.end
            if !split.endsWithSingleTimestamp, let lastEnd, lastEnd > timeOffset {
                seek = Int((lastEnd * Self.framesPerSecond).rounded(.toNearestOrEven))
            }
            if let lastEnd { lastSpeechTime = lastEnd }
        }
        for piece in split.segments {
            let text = model.tokenizer.decode(piece.tokens)
            guard piece.start != piece.end, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            allTokens += piece.tokens
            segments.append(
                TranscriptSegment(
                    id: segments.count + 1, seek: previousSeek, start: piece.start, end: piece.end, text: text, tokens: piece.tokens,
                    temperature: Double(result.temperature), averageLogProbability: result.averageLogProbability,
                    compressionRatio: result.compressionRatio, noSpeechProbability: result.noSpeechProbability,
                    words: options.wordTimestamps ? piece.words ?? [] : nil))
        }
        if !options.conditionOnPreviousText || result.temperature > options.promptResetOnTemperature {
            promptResetSince = allTokens.count
        }
        return true
    }
}
