import Foundation

/// The file formats a transcript can be written in, named as OpenAI's API names them.
public enum TranscriptFormat: String, CaseIterable, Sendable {
    /// Each segment's text, stripped, one a line (openai-whisper's `WriteTXT`).
    case txt
    /// `{"text":…}`, the API's `json` response.
    case json
    /// The API's `verbose_json` response: task, language, duration, text, segments and words.
    case verboseJSON = "verbose_json"
    /// SubRip subtitles (``CueLayout``).
    case srt
    /// WebVTT subtitles (``CueLayout``).
    case vtt
    /// One JSON object a line for each segment, with verbose_json's segment keys.
    case jsonl

    /// The file name extension: the format's name, `json` for both JSON formats.
    public var fileExtension: String {
        switch self {
        case .json, .verboseJSON: "json"
        default: rawValue
        }
    }

    /// `transcript` in this format, ending with a newline unless it is empty; subtitles cut as `layout` says.
    public func render(_ transcript: Transcript, layout: CueLayout = CueLayout()) -> String {
        var renderer = TranscriptRenderer(format: self, layout: layout)
        return renderer.render(transcript, isComplete: true)
    }
}
