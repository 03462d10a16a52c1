import Foundation

/// SubRip and WebVTT cues, as ``CueLayout`` cuts them (``CueLayout/segments``: one a segment, as
/// openai-whisper's `WriteSRT` and `WriteVTT` write them without word-level options).
enum Subtitles {
    /// The line a WebVTT file starts with, and a blank line.
    static let vttHeader = "WEBVTT\n\n"

    /// A numbered SubRip cue, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, and a blank line.
    static func srt(_ cue: Cue, number: Int) -> String {
        "\(number)\n\(timestamp(cue.start, marker: ",")) --> \(timestamp(cue.end, marker: ","))\n\(cue.lines.joined(separator: "\n"))\n\n"
    }

    /// A WebVTT cue, `HH:MM:SS.mmm --> HH:MM:SS.mmm`, and a blank line.
    ///
    /// Hours are always written; the reference leaves them out below an hour (`MM:SS.mmm`), which WebVTT
    /// also allows, but the full form is accepted by every player and lines up in a file.
    static func vtt(_ cue: Cue) -> String {
        "\(timestamp(cue.start, marker: ".")) --> \(timestamp(cue.end, marker: "."))\n\(cue.lines.joined(separator: "\n"))\n\n"
    }

    /// `HH:MM:SS` then `marker` and milliseconds, rounded half to even as Python's `round` does.
    static func timestamp(_ seconds: Double, marker: String) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded(.toNearestOrEven))
        let (hours, minutes, whole) = (milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60)
        return "\(twoDigits(hours)):\(twoDigits(minutes)):\(twoDigits(whole))\(marker)\(String(format: "%03d", milliseconds % 1000))"
    }

    private static func twoDigits(_ value: Int) -> String { String(format: "%02d", value) }
}
