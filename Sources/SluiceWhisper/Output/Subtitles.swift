import Foundation

/// SubRip and WebVTT subtitles: one cue a segment, as openai-whisper's `WriteSRT` and `WriteVTT` write them
/// without word-level options.
///
/// A cue's text is the segment's, stripped, with `-->` (which would end a cue's timing line) written `->`.
/// Cue times come from the segment even when it has word timings (the reference then takes the first and
/// last word's).
enum Subtitles {
    /// Numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, a blank line after each.
    static func srt(_ transcript: Transcript) -> String {
        transcript.segments.enumerated().map { number, segment in
            "\(number + 1)\n\(timestamp(segment.start, marker: ",")) --> \(timestamp(segment.end, marker: ","))\n\(cueText(segment))\n\n"
        }.joined()
    }

    /// `WEBVTT`, a blank line, then cues `HH:MM:SS.mmm --> HH:MM:SS.mmm`, a blank line after each.
    ///
    /// Hours are always written; the reference leaves them out below an hour (`MM:SS.mmm`), which WebVTT
    /// also allows, but the full form is accepted by every player and lines up in a file.
    static func vtt(_ transcript: Transcript) -> String {
        "WEBVTT\n\n"
            + transcript.segments.map { segment in
                "\(timestamp(segment.start, marker: ".")) --> \(timestamp(segment.end, marker: "."))\n\(cueText(segment))\n\n"
            }.joined()
    }

    /// `HH:MM:SS` then `marker` and milliseconds, rounded half to even as Python's `round` does.
    static func timestamp(_ seconds: Double, marker: String) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded(.toNearestOrEven))
        let (hours, minutes, whole) = (milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60)
        return "\(twoDigits(hours)):\(twoDigits(minutes)):\(twoDigits(whole))\(marker)\(String(format: "%03d", milliseconds % 1000))"
    }

    private static func twoDigits(_ value: Int) -> String { String(format: "%02d", value) }

    private static func cueText(_ segment: TranscriptSegment) -> String {
        segment.text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "-->", with: "->")
    }
}
