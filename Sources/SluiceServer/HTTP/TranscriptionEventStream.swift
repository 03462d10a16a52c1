import Foundation
import Hummingbird
import NIOCore
import SluiceWhisper

/// `stream=true` on the transcription endpoints: the text as server-sent events, the way OpenAI's API streams it,
/// so that its SDKs' stream iterators read it.
///
/// - Each 30 s window's new segments are sent as soon as the window is decoded, as
///   `data: {"type":"transcript.text.delta","delta":…}` (the deltas concatenate to the final text); then
///   `data: {"type":"transcript.text.done","text":…,"usage":{…}}` ends the stream.
/// - `usage` counts tokens as OpenAI does for its streaming models: the input as audio tokens (Whisper's
///   encoder positions, 50 a second), the output as the text tokens decoded (timestamps left out).
/// - A decoding error after the answer has begun is sent as `data: {"error":{…}}` (OpenAI's error shape),
///   which the SDKs raise.
/// - The request's session slot is held until the last event is written (or the client goes away).
struct TranscriptionEventStream: Sendable {
    let model: WhisperModel
    let options: TranscriptionOptions
    let metrics: ServiceMetrics

    /// The answer: `text/event-stream`, decoded while it is written.
    func response(features: MelFeatures, slot: SessionSlot) -> Response {
        let transcriber = Transcriber(model: model, options: options)
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { [self] writer in
                defer { slot.release() }
                let started = ContinuousClock.now
                var events = TranscriptionEvents(tokens: model.tokens)
                do {
                    for try await update in transcriber.updates(of: features) {
                        for event in events.deltas(update.segments) { try await writer.write(ByteBuffer(string: Self.frame(event))) }
                    }
                    try await writer.write(ByteBuffer(string: Self.frame(events.done(audioSeconds: features.duration))))
                } catch let error as DecodingFailure {
                    let body = JSONText.object([
                        ("message", .string("cannot transcribe the audio: \(error)")), ("type", .string("server_error")),
                        ("param", .null), ("code", .string("decoding_failed")),
                    ])
                    try await writer.write(ByteBuffer(string: Self.frame(.object([("error", body)]))))
                }
                metrics.decoded(.transcription, audioSeconds: features.duration, busySeconds: started.duration(to: .now).seconds)
                try await writer.finish(nil)
            })
    }

    /// One server-sent event: `data: JSON` and a blank line.
    static func frame(_ event: JSONText) -> String {
        "data: \(event.serialized)\n\n"
    }
}

/// The events of one streamed transcription, from its segments as they come.
struct TranscriptionEvents {
    let tokens: SpecialTokens
    /// The text sent so far (what the deltas add up to).
    private(set) var text = ""
    /// Whitespace at the end of the text decoded so far, held back until more text follows it.
    private var heldBack = ""
    private(set) var outputTokens = 0

    init(tokens: SpecialTokens) {
        self.tokens = tokens
    }

    /// A delta event for each segment that adds text. Whitespace at either end of the whole text is never sent,
    /// so the deltas add up to the final text, which is trimmed as OpenAI's is.
    mutating func deltas(_ segments: [TranscriptSegment]) -> [JSONText] {
        var events: [JSONText] = []
        for segment in segments {
            outputTokens += segment.tokens.count { !tokens.isTimestamp($0) }
            let added = heldBack + (text.isEmpty ? String(segment.text.drop { $0.isWhitespace }) : segment.text)
            let trailing = added.reversed().prefix { $0.isWhitespace }.count
            let delta = String(added.dropLast(trailing))
            heldBack = String(added.suffix(trailing))
            guard !delta.isEmpty else { continue }
            text += delta
            events.append(.object([("type", .string("transcript.text.delta")), ("delta", .string(delta))]))
        }
        return events
    }

    /// The closing event: the whole text and the tokens used.
    func done(audioSeconds: Double) -> JSONText {
        let inputTokens = Int((audioSeconds * 50).rounded(.up))
        let usage = JSONText.object([
            ("type", .string("tokens")), ("input_tokens", .integer(inputTokens)), ("output_tokens", .integer(outputTokens)),
            ("total_tokens", .integer(inputTokens + outputTokens)),
            ("input_token_details", .object([("audio_tokens", .integer(inputTokens)), ("text_tokens", .integer(0))])),
        ])
        return .object([
            ("type", .string("transcript.text.done")), ("text", .string(text)),
            ("usage", usage),
        ])
    }
}
