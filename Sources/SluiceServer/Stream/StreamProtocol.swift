import Foundation

/// The client's half of a `/v1/stream` session, as a state machine: a format from the query string, an
/// optional JSON config message before any audio, binary PCM messages, then `{"eof":1}`.
///
/// - `awaitingAudio`: the format may still change (one config message); binary audio starts the stream.
/// - `streaming`: binary messages carry audio; a config message now is an error.
/// - `ended`: `{"eof":1}` arrived, the input closed, bad input failed the session, or the client was silent
///   for too long; nothing more is read.
///
/// Pure: it turns messages into actions that the session carries out, and is tested without threads.
struct StreamProtocol {
    enum State: Equatable {
        case awaitingAudio(StreamAudioFormat)
        case streaming(StreamAudioFormat)
        case ended
    }

    /// What the session does next.
    enum Action: Equatable {
        /// Nothing (an empty frame, a config message applied).
        case none
        /// Decode these samples, at the format's rate.
        case audio([Float], sampleRate: Int)
        /// End of stream: decode what is buffered, send the remaining finals, close (normally, or as
        /// going away when the server is shutting down).
        case finish(shutdown: Bool)
        /// The client went away: free the session, send nothing.
        case abandon
        /// Send an error event with this message, then close.
        case fail(String)
    }

    private(set) var state: State
    /// f32le samples outside [-1, 1] so far, clipped to full scale.
    private(set) var clippedSamples = 0

    /// A session whose query string asked for `format`.
    init(format: StreamAudioFormat) {
        state = .awaitingAudio(format)
    }

    /// The format of a query string's `sample_rate` and `format` parameters (defaults: 16000, s16le).
    static func format(query: [String: String]) throws(StreamProtocolError) -> StreamAudioFormat {
        try StreamAudioFormat.default.changed(sampleRate: query["sample_rate"], format: query["format"], origin: "query string")
    }

    /// A text message: a config object before the audio, or `{"eof":1}`.
    mutating func onText(_ text: String) -> Action {
        guard let data = text.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return fail("text message is not JSON: \(Self.excerpt(text))")
        }
        guard let object = parsed as? [String: Any] else {
            return fail("text message is not a JSON object: \(Self.excerpt(text))")
        }
        if let eof = object["eof"] {
            guard object.count == 1, Self.isTrue(eof) else { return fail("an end-of-stream message is exactly {\"eof\":1}") }
            guard state != .ended else { return .none }
            state = .ended
            return .finish(shutdown: false)
        }
        guard !object.isEmpty, object.keys.allSatisfy({ ["sample_rate", "format"].contains($0) }) else {
            return fail("unknown message \(Self.excerpt(text)): expected a config {\"sample_rate\":…,\"format\":…} or {\"eof\":1}")
        }
        switch state {
        case .awaitingAudio(let format):
            do {
                state = .awaitingAudio(
                    try format.changed(
                        sampleRate: object["sample_rate"].map { "\($0)" },
                        format: object["format"].map { "\($0)" }, origin: "config message"))
                return .none
            } catch {
                return fail(error.message)
            }
        case .streaming:
            return fail("a config message must come before the first audio message")
        case .ended:
            return .none
        }
    }

    /// A binary message: PCM samples in the session's format.
    mutating func onBinary(_ bytes: some Collection<UInt8>) -> Action {
        let format: StreamAudioFormat
        switch state {
        case .awaitingAudio(let current), .streaming(let current): format = current
        case .ended: return .none
        }
        state = .streaming(format)
        do {
            let (samples, clipped) = try format.samples(bytes)
            clippedSamples += clipped
            return samples.isEmpty ? .none : .audio(samples, sampleRate: format.sampleRate)
        } catch {
            return fail(error.message)
        }
    }

    /// The client closed its side, or the connection dropped, before `{"eof":1}`.
    mutating func onInputClosed() -> Action {
        guard state != .ended else { return .none }
        state = .ended
        return .abandon
    }

    /// The client has sent no message for `timeout` while the session waited for one: the stream fails
    /// (the session closes it as a policy violation, 1008).
    mutating func onSilence(_ timeout: Duration) -> Action {
        guard state != .ended else { return .none }
        state = .ended
        return .fail("no message from the client for \(Self.seconds(timeout)) s: closing the stream (send audio, or {\"eof\":1} to end it)")
    }

    /// The server is shutting down: the stream ends here, as if the client had sent `{"eof":1}`.
    mutating func onShutdown() -> Action {
        guard state != .ended else { return .none }
        state = .ended
        return .finish(shutdown: true)
    }

    private mutating func fail(_ message: String) -> Action {
        state = .ended
        return .fail(message)
    }

    /// `duration` in seconds, without a fraction when it is whole.
    private static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }

    private static func isTrue(_ value: Any) -> Bool {
        if let number = value as? NSNumber { return number.doubleValue == 1 }
        return false
    }

    /// At most 80 characters of a client's text, for an error message.
    private static func excerpt(_ text: String) -> String {
        let trimmed = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return "'\(trimmed)'"
    }
}
