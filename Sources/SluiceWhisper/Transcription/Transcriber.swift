import Foundation
import SluiceAudio

/// Long-form transcription over 30 s windows, as faster-whisper's `generate_segments` does it: decode
/// a window, cut it into segments at timestamp pairs, seek to the last complete segment (or the last
/// word), and prompt the next window with the text so far.
public struct Transcriber: Sendable {
    public let model: WhisperModel
    public let options: TranscriptionOptions
    private let windowDecoder: WindowDecoder

    public init(model: WhisperModel, options: TranscriptionOptions = TranscriptionOptions()) {
        self.model = model
        self.options = options
        windowDecoder = WindowDecoder(model: model, options: options.decoding)
    }

    /// Transcribes `features`; `statistics`, when given, accumulates where the time went, and `progress` hears
    /// the seconds of audio done (and the total) before each window and at the end. Throws ``DecodingFailure``
    /// (naming the window) when the decoder's invariants break, e.g. on NaN weights.
    public func transcribe(
        _ features: MelFeatures, statistics: TranscriptionStatistics? = nil, progress: ((_ done: Double, _ total: Double) -> Void)? = nil
    ) throws -> Transcript {
        let windowFrames = model.windowFrames
        let contentFrames = features.contentFrames
        let framesPerSecond = 100.0
        var generator = SplitMix64(seed: options.decoding.seed)
        var allTokens: [Int] = []
        if let initialPrompt = options.initialPrompt?.trimmingCharacters(in: .whitespacesAndNewlines), !initialPrompt.isEmpty {
            allTokens = model.tokenizer.encode(" " + initialPrompt)
        }
        var promptResetSince = 0
        var lastSpeechTime = 0.0
        var segments: [TranscriptSegment] = []
        var language = options.decoding.language ?? (model.tokens.isMultilingual ? nil : "en")
        var seek = 0
        let total = Double(contentFrames) / framesPerSecond
        defer { progress?(total, total) }
        while seek < contentFrames {
            progress?(Double(seek) / framesPerSecond, total)
            let timeOffset = Double(seek) / framesPerSecond
            let segmentSize = min(windowFrames, contentFrames - seek)
            if let gate = options.speechGate, !gate.containsSpeech(features.energies[seek..<(seek + segmentSize)], framesPerSecond: framesPerSecond) {
                seek += segmentSize  // silence or steady noise: nothing to decode
                continue
            }
            let encodeStart = ContinuousClock.now
            let encoded = model.encode(mel: features.window(start: seek, count: segmentSize, total: windowFrames))
            let memory = model.crossAttentionMemory(encoded: encoded)
            let decodeStart = ContinuousClock.now
            defer { statistics?.add(window: decodeStart - encodeStart, decoding: .now - decodeStart) }
            if language == nil { language = model.detectLanguage(memory: memory).code }
            let prompt = windowDecoder.prompt(previous: Array(allTokens[promptResetSince...]), language: language)
            let result: WindowResult
            do {
                result = try windowDecoder.decode(memory: memory, prompt: prompt, generator: &generator)
            } catch let failure as DecodingFailure {
                throw DecodingFailure("the window at \(String(format: "%.2f", timeOffset)) s: \(failure)")
            }
            statistics?.tokens += result.tokens.count

            if let threshold = options.decoding.noSpeechThreshold, result.noSpeechProbability > threshold,
                !(options.decoding.logProbThreshold.map { result.averageLogProbability > $0 } ?? false)
            {
                seek += segmentSize  // silence: skip the window
                continue
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
                    seek = Int((lastEnd * framesPerSecond).rounded(.toNearestOrEven))
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
        }
        return Transcript(language: language ?? "en", task: options.decoding.task.rawValue, duration: features.duration, segments: segments)
    }
}

/// A segment cut from one window's tokens, before it is kept or dropped.
struct WindowSegment: Sendable {
    var start: Double
    var end: Double
    var tokens: [Int]
    var words: [TranscriptWord]?
}

/// Cuts a window's tokens into segments at consecutive timestamp pairs and finds where the next window starts.
struct SegmentSplitter {
    let tokens: SpecialTokens

    struct Split {
        var segments: [WindowSegment]
        var nextSeek: Int
        /// The text ended with a single timestamp: nothing was left unfinished in the window.
        var endsWithSingleTimestamp: Bool
    }

    /// `keepsUnfinished`: text after the last timestamp pair that no timestamp closes becomes a last segment
    /// that runs to the end of the window (streaming, where no later window decodes it again).
    func split(_ sampled: [Int], timeOffset: Double, seek: Int, segmentSize: Int, keepsUnfinished: Bool = false) -> Split {
        let begin = tokens.timestampBegin
        let precision = SpecialTokens.timePrecision
        let singleEnding = sampled.count >= 2 && !tokens.isTimestamp(sampled[sampled.count - 2]) && tokens.isTimestamp(sampled[sampled.count - 1])
        let consecutive = sampled.indices.filter { $0 > 0 && tokens.isTimestamp(sampled[$0]) && tokens.isTimestamp(sampled[$0 - 1]) }
        guard !consecutive.isEmpty else {
            // No complete pair: one segment spanning the window (or up to its last timestamp).
            var duration = Double(segmentSize) / 100
            if let last = sampled.last(where: tokens.isTimestamp), last != begin { duration = Double(last - begin) * precision }
            return Split(
                segments: [WindowSegment(start: timeOffset, end: timeOffset + duration, tokens: sampled)],
                nextSeek: seek + segmentSize, endsWithSingleTimestamp: singleEnding)
        }
        var slices = consecutive
        if singleEnding { slices.append(sampled.count) }
        var segments: [WindowSegment] = []
        var lastSlice = 0
        for slice in slices {
            let piece = Array(sampled[lastSlice..<slice])
            segments.append(
                WindowSegment(
                    start: timeOffset + Double(piece.first! - begin) * precision,
                    end: timeOffset + Double(piece.last! - begin) * precision, tokens: piece))
            lastSlice = slice
        }
        if keepsUnfinished && !singleEnding && sampled[lastSlice...].contains(where: { !tokens.isTimestamp($0) }) {
            let piece = Array(sampled[lastSlice...])
            segments.append(
                WindowSegment(
                    start: timeOffset + Double(piece[0] - begin) * precision,
                    end: timeOffset + Double(segmentSize) / 100, tokens: piece))
        }
        // Without a single final timestamp the last segment is unfinished: seek to the last timestamp.
        let nextSeek = singleEnding ? seek + segmentSize : seek + (sampled[lastSlice - 1] - begin) * 2
        return Split(segments: segments, nextSeek: nextSeek, endsWithSingleTimestamp: singleEnding)
    }
}

/// Where a transcription's time went: encoder passes and decoding (search, fallback, alignment).
public final class TranscriptionStatistics: @unchecked Sendable {  // used by one transcription at a time
    public private(set) var windows = 0
    public private(set) var encoding: Duration = .zero
    public private(set) var decoding: Duration = .zero
    /// Tokens of the accepted results.
    public var tokens = 0

    public init() {}

    func add(window encode: Duration, decoding decode: Duration) {
        windows += 1
        encoding += encode
        decoding += decode
    }
}
