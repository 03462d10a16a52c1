import Foundation

/// SubRip and WebVTT subtitles, in the cues a ``CueLayout`` cuts (``CueLayout/segments``: one a segment, as
/// openai-whisper's `WriteSRT` and `WriteVTT` write them without word-level options).
enum Subtitles {
    /// Numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, a blank line after each.
    static func srt(_ transcript: Transcript, layout: CueLayout) -> String {
        layout.cues(for: transcript).enumerated().map { number, cue in
            "\(number + 1)\n\(timestamp(cue.start, marker: ",")) --> \(timestamp(cue.end, marker: ","))\n\(cue.lines.joined(separator: "\n"))\n\n"
        }.joined()
    }

    /// `WEBVTT`, a blank line, then cues `HH:MM:SS.mmm --> HH:MM:SS.mmm`, a blank line after each.
    ///
    /// Hours are always written; the reference leaves them out below an hour (`MM:SS.mmm`), which WebVTT
    /// also allows, but the full form is accepted by every player and lines up in a file.
    static func vtt(_ transcript: Transcript, layout: CueLayout) -> String {
        "WEBVTT\n\n"
            + layout.cues(for: transcript).map { cue in
                "\(timestamp(cue.start, marker: ".")) --> \(timestamp(cue.end, marker: "."))\n\(cue.lines.joined(separator: "\n"))\n\n"
            }.joined()
    }

    /// `HH:MM:SS` then `marker` and milliseconds, rounded half to even as Python's `round` does.
    static func timestamp(_ seconds: Double, marker: String) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded(.toNearestOrEven))
        let (hours, minutes, whole) = (milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60)
        return "\(twoDigits(hours)):\(twoDigits(minutes)):\(twoDigits(whole))\(marker)\(String(format: "%03d", milliseconds % 1000))"
    }

    private static func twoDigits(_ value: Int) -> String { String(format: "%02d", value) }
}
