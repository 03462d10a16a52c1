import Foundation
import SluiceAudio

/// Long-form transcription of whole inputs over 30 s windows (``TranscriptionRun`` decodes them), all at once
/// or as updates while it goes.
public struct Transcriber: Sendable {
    public let model: WhisperModel
    public let options: TranscriptionOptions
    let windowDecoder: WindowDecoder

    public init(model: WhisperModel, options: TranscriptionOptions = TranscriptionOptions()) {
        self.model = model
        self.options = options
        windowDecoder = WindowDecoder(model: model, options: options.decoding)
    }

    /// Transcribes `features`; `statistics`, when given, accumulates where the time went, and `updates` hears
    /// each window's new segments and how far the transcription has got (what it throws stops the transcription).
    /// Throws ``DecodingFailure`` (naming the window) when the decoder's invariants break, e.g. on NaN weights.
    public func transcribe(
        _ features: MelFeatures, statistics: TranscriptionStatistics? = nil, updates: ((TranscriptionUpdate) throws -> Void)? = nil
    ) throws -> Transcript {
        var run = TranscriptionRun(transcriber: self, features: features, statistics: statistics)
        while let update = try run.next() { try updates?(update) }
        return run.transcript
    }

    /// The transcription of `features` as it goes: one update a window (its new segments and how far it has
    /// got), each window decoded when the consumer asks for the next update, off the caller's thread. Leaving
    /// the loop stops it; cancelling the consuming task also ends the window in hand within a token.
    public func updates(of features: MelFeatures, statistics: TranscriptionStatistics? = nil) -> TranscriptionUpdates {
        TranscriptionUpdates(transcriber: self, features: features, statistics: statistics)
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
