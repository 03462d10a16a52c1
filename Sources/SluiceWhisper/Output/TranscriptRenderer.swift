import Foundation

/// Writes a transcript in a ``TranscriptFormat`` while it grows: each call gives the text to append to what
/// the earlier calls gave, and all the calls together give what ``TranscriptFormat/render(_:layout:)`` gives
/// for the whole transcript (txt, jsonl, srt and vtt as segments are decoded; the JSON documents at the end).
public struct TranscriptRenderer: Sendable {
    public let format: TranscriptFormat
    public let layout: CueLayout
    /// Segments (txt, jsonl) or cues (srt, vtt) already given.
    private var written = 0
    private var started = false

    public init(format: TranscriptFormat, layout: CueLayout = CueLayout()) {
        self.format = format
        self.layout = layout
    }

    /// The text not given yet for `transcript` (everything decoded so far; `isComplete` once it is all there).
    public mutating func render(_ transcript: Transcript, isComplete: Bool) -> String {
        defer { started = true }
        switch format {
        case .txt: return newSegments(transcript).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n" }.joined()
        case .jsonl: return newSegments(transcript).map { TranscriptJSON.segment($0).serialized + "\n" }.joined()
        case .json: return isComplete ? TranscriptJSON.plain(transcript) : ""
        case .verboseJSON: return isComplete ? TranscriptJSON.verbose(transcript) : ""
        case .srt: return newCues(transcript, isComplete: isComplete).map { Subtitles.srt($0.cue, number: $0.number) }.joined()
        case .vtt: return (started ? "" : Subtitles.vttHeader) + newCues(transcript, isComplete: isComplete).map { Subtitles.vtt($0.cue) }.joined()
        }
    }

    private mutating func newSegments(_ transcript: Transcript) -> ArraySlice<TranscriptSegment> {
        defer { written = transcript.segments.count }
        return transcript.segments[min(written, transcript.segments.count)...]
    }

    private mutating func newCues(_ transcript: Transcript, isComplete: Bool) -> [(number: Int, cue: Cue)] {
        let cues = layout.settledCues(for: transcript, isComplete: isComplete)
        defer { written = max(written, cues.count) }
        return cues.indices.dropFirst(written).map { ($0 + 1, cues[$0]) }
    }
}
