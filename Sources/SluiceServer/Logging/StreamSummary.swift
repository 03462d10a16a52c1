import Foundation

/// What one `/v1/stream` session carried, for its request log line: the audio it took, the events and final
/// words it sent, and how it ended.
struct StreamSummary: Sendable, Equatable {
    var audioSeconds = 0.0
    var events = 0
    /// Words in `final` events (the target lane's alone when translating, so a word is counted once).
    var finalWords = 0
    /// `ok` (the client's `{"eof":1}`), `drained` (server shutdown), `abandoned` (the client closed),
    /// `client_gone`, `idle_timeout`, `busy`, `draining`, `bad_request` or `error`.
    var outcome = "abandoned"

    /// Counts one event sent to the client (a JSON object).
    mutating func count(event: String) {
        events += 1
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any],
            object["type"] as? String == "final", object["lane"] as? String != "source", let text = object["text"] as? String
        else { return }
        finalWords += text.split(whereSeparator: \.isWhitespace).count
    }
}
