import CFFmpeg
import Foundation

/// FFmpeg's log, kept off stderr: its last error on each thread is kept so that a failure can say why.
///
/// FFmpeg logs through one process-wide callback; a decoder runs on one thread at a time, so the message
/// that explains a failed call is the last one logged on the calling thread. `AV_LOG_ERROR` and worse
/// are kept ("moov atom not found"); warnings and chatter are dropped, so that Sluice's one error line
/// is all that a user sees.
enum FFmpegLog {
    private static let key = "sluice.ffmpeg.lastError"

    /// Installs the callback (once per process; later calls do nothing).
    static let install: Void = {
        av_log_set_callback { _, level, format, arguments in
            guard level <= AV_LOG_ERROR, let format, let arguments else { return }
            var text = [CChar](repeating: 0, count: 512)
            _ = vsnprintf(&text, text.count, format, arguments)
            let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !message.isEmpty { Thread.current.threadDictionary[FFmpegLog.key] = message }
        }
    }()

    /// Forgets the calling thread's last message (before a call whose failure is to be explained).
    static func clear() { Thread.current.threadDictionary.removeObject(forKey: key) }

    /// The last error FFmpeg logged on the calling thread since `clear()`, if any.
    static var lastError: String? { Thread.current.threadDictionary[key] as? String }

    /// Words for an FFmpeg error code, with the logged reason when there is one:
    /// "moov atom not found (Invalid data found when processing input)".
    static func describe(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 256)
        av_strerror(code, &text, text.count)
        let words = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let logged = lastError, logged != words else { return words }
        return "\(logged) (\(words))"
    }
}
