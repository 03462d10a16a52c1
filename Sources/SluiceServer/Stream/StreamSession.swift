import AsyncAlgorithms
import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// One `/v1/stream` WebSocket connection: PCM messages in, the stream pipeline's events out (transcription or
/// translation, ``StreamSettings``).
///
/// - A reader task forwards the client's messages one at a time through a rendezvous channel; the session
///   decodes each before taking the next, so a session whose decoder (or whose client, reading events)
///   falls behind stops reading its socket, and TCP holds its client back — no other session waits.
/// - Server shutdown enters the same channel, so it is handled between messages, like `{"eof":1}`.
/// - A client that sends no message for `silenceTimeout` while the session waits for one (not while it
///   decodes) gets an error event and a 1008 close: an open stream holds a decoder slot.
/// - Each event is one text message: a `StreamEvent` JSON object as `jsonl` renders it (`emitted_at` counts
///   from the first audio that reaches the recognizer), or `{"type":"error","message":…}` before the close when
///   the input is bad (a rate the pipeline cannot take included) or the server is full.
struct StreamSession {
    /// What the session reacts to, in arrival order.
    enum Input: Sendable {
        case message(WebSocketMessage)
        case inputClosed
        case shutdown
        /// No message for the silence timeout.
        case silence
    }

    /// The stream pipeline.
    let settings: StreamSettings
    let registry: SessionRegistry
    /// The largest message a client may send (a binary message of PCM, or a text message).
    let maxMessageBytes: Int
    /// How long the session waits for a client's next message (`--stream-idle-timeout`).
    let silenceTimeout: Duration

    /// Runs the stream to its end; what it carried, for the request log.
    func run(query: [String: String], inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async -> StreamSummary {
        var summary = StreamSummary()
        await run(query: query, inbound: inbound, outbound: outbound, summary: &summary)
        return summary
    }

    private func run(
        query: [String: String], inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, summary: inout StreamSummary
    ) async {
        let inputs = AsyncChannel<Input>()
        let slot: SessionSlot
        switch registry.admit(.stream, onDrain: { Task { await inputs.send(.shutdown) } }) {
        case .admitted(let admitted): slot = admitted
        case .busy(let limit):
            summary.outcome = "busy"
            return await fail(outbound, "server busy: all \(limit) sessions are in use; try again later", code: .unknown(1013))
        case .draining:
            summary.outcome = "draining"
            return await fail(outbound, "server is shutting down", code: .goingAway)
        }
        defer { slot.release() }
        let format: StreamAudioFormat
        do { format = try StreamProtocol.format(query: query) } catch {
            summary.outcome = "bad_request"
            return await fail(outbound, error.message, code: .unacceptableData, releasing: slot)
        }
        let waiting = WaitClock()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: maxMessageBytes) { await inputs.send(.message(message)) }
                } catch {}
                await inputs.send(.inputClosed)
            }
            group.addTask { [silenceTimeout] in
                while let wake = waiting.deadline(after: silenceTimeout) {
                    do { try await Task.sleep(until: wake) } catch { return }  // cancelled: the session is over
                    if waiting.hasWaited(silenceTimeout) { await inputs.send(.silence) }
                }
            }
            await converse(format: format, inputs: inputs, outbound: outbound, slot: slot, waiting: waiting, summary: &summary)
            group.cancelAll()
            inputs.finish()  // a late shutdown request must not wait for a reader that is gone
        }
    }

    /// Runs the protocol over the inputs until the stream ends; the connection is closed on return, and the
    /// slot is released before the close frame goes out (a client that reconnects at once finds it free).
    private func converse(
        format: StreamAudioFormat, inputs: AsyncChannel<Input>, outbound: WebSocketOutboundWriter,
        slot: SessionSlot, waiting: WaitClock, summary: inout StreamSummary
    ) async {
        var machine = StreamProtocol(format: format)
        let decoder = StreamDecoder(settings: settings, metrics: registry.metrics, label: "sluice.stream")
        var clippedSoFar = 0
        func send(_ events: [String]) async throws {
            for event in events {
                summary.count(event: event)
                try await outbound.write(.text(event))
            }
        }
        defer { waiting.stop() }
        do {
            var pending = inputs.makeAsyncIterator()
            while true {
                waiting.start()
                guard let input = await pending.next() else { return }
                let silent = waiting.hasWaited(silenceTimeout)  // a message may have overtaken the watchdog's report
                waiting.pause()
                let action: StreamProtocol.Action
                switch input {
                case .message(.text(let text)): action = machine.onText(text)
                case .message(.binary(let buffer)): action = machine.onBinary(buffer.readableBytesView)
                case .inputClosed: action = machine.onInputClosed()
                case .shutdown: action = machine.onShutdown()
                case .silence: action = silent ? machine.onSilence(silenceTimeout) : .none
                }
                if case .silence = input, case .fail(let message) = action {
                    summary.outcome = "idle_timeout"
                    registry.metrics.connectionClosed(.streamIdleTimeout)
                    return await fail(outbound, message, code: .policyViolation, releasing: slot)
                }
                registry.metrics.samplesClipped(machine.clippedSamples - clippedSoFar)
                clippedSoFar = machine.clippedSamples
                switch action {
                case .none:
                    continue
                case .audio(let samples, let rate):
                    summary.audioSeconds += Double(samples.count) / Double(rate)
                    let events: [String]
                    do { events = try await decoder.push(samples, sampleRate: rate) } catch let error as StreamProtocolError {
                        summary.outcome = "bad_request"
                        return await fail(outbound, error.message, code: .unacceptableData, releasing: slot)
                    } catch {
                        summary.outcome = "error"
                        return await fail(outbound, "cannot decode the audio: \(error)", code: .unexpectedServerError, releasing: slot)
                    }
                    try await send(events)
                case .finish(let shutdown):
                    summary.outcome = shutdown ? "drained" : "ok"
                    try await send(decoder.finish())
                    slot.release()
                    try await outbound.close(shutdown ? .goingAway : .normalClosure, reason: shutdown ? "server is shutting down" : nil)
                    return
                case .abandon:
                    summary.outcome = "abandoned"
                    return
                case .fail(let message):
                    summary.outcome = "bad_request"
                    return await fail(outbound, message, code: .unacceptableData, releasing: slot)
                }
            }
        } catch {
            summary.outcome = "client_gone"  // a write failed: nothing more can be sent
        }
    }

    /// Sends an error event, releases the session's slot (if it holds one), then closes with `code`.
    private func fail(
        _ outbound: WebSocketOutboundWriter, _ message: String, code: WebSocketErrorCode,
        releasing slot: SessionSlot? = nil
    ) async {
        try? await outbound.write(.text(ErrorEvent(message: message).json))
        slot?.release()
        try? await outbound.close(code, reason: nil)
    }
}

/// `{"type":"error","message":…}`: why the server is closing a stream.
struct ErrorEvent: Encodable {
    let type = "error"
    var message: String

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// When a session began waiting for its client's next message (not while it works on one), so that silence
/// is measured only while the client could have been heard.
final class WaitClock: Sendable {
    private enum State {
        case waiting(since: ContinuousClock.Instant)
        case busy, stopped
    }
    private let state = Mutex(State.busy)

    func start() { state.withLock { if case .stopped = $0 {} else { $0 = .waiting(since: .now) } } }
    func pause() { state.withLock { if case .stopped = $0 {} else { $0 = .busy } } }
    func stop() { state.withLock { $0 = .stopped } }

    /// When silence would reach `timeout`, if nothing arrives; a check again after `timeout` while busy; nil
    /// once stopped.
    func deadline(after timeout: Duration) -> ContinuousClock.Instant? {
        state.withLock { state in
            switch state {
            case .waiting(let since): since + timeout
            case .busy: .now + timeout
            case .stopped: nil
            }
        }
    }

    /// Whether the session has been waiting for at least `timeout`.
    func hasWaited(_ timeout: Duration) -> Bool {
        state.withLock { state in
            if case .waiting(let since) = state { return since.duration(to: .now) >= timeout }
            return false
        }
    }
}
