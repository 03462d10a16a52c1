import Foundation
import SluiceAudio
import SluiceCore
import SluiceWhisper

/// `whisper.stream`: live transcription of 16 kHz mono audio as it arrives; emits JSON lines of partial
/// and final events (`StreamEvent`), `emitted_at` measured from the first audio packet.
final class StreamStage: Stage {
    static let type = StageType(
        name: "whisper.stream",
        summary: "Streaming transcription (LocalAgreement): partial and final JSON events as audio arrives.",
        options: StreamStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = StreamStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.streaming.decoding.language)
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in try StreamStage(settings: StreamStageSettings.options.settings(options)) })

    let outputFormat: StreamFormat
    private let transcriber: StreamingTranscriber
    private let format: StreamTextFormat
    private var started: ContinuousClock.Instant?
    private var position: Int64 = 0

    init(settings: StreamStageSettings) throws {
        format = settings.format
        outputFormat = .text(TextFormat(kind: format.rawValue))
        transcriber = StreamingTranscriber(model: try LoadedModels.whisper(settings.model), options: settings.streaming)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        if started == nil { started = .now }
        try send(transcriber.push(packet.data), emit: emit)
    }

    func finish(emit: Emit) throws {
        try send(transcriber.finish(), emit: emit)
    }

    private func send(_ events: [StreamEvent], emit: Emit) throws {
        guard !events.isEmpty else { return }
        let seconds = (started ?? .now).duration(to: .now).seconds
        let records = events.compactMap { format.render($0, emittedAt: seconds) }
        guard !records.isEmpty else { return }
        try emit(Packet(position: position, text: records))
        position += Int64(records.count)
    }
}

/// How streaming events are written.
public enum StreamTextFormat: String, Sendable, CaseIterable {
    case jsonl, txt, terminal

    /// The record for `event`, or nil when this format does not show it.
    func render(_ event: StreamEvent, emittedAt: Double) -> String? {
        let clearLine = "\r\u{1B}[2K"
        switch (self, event.kind) {
        case (.jsonl, _): return event.jsonLine(emittedAt: emittedAt)
        case (.txt, .final): return event.text.trimmingCharacters(in: .whitespaces) + "\n"
        case (.txt, .partial): return nil
        case (.terminal, .final): return clearLine + event.text.trimmingCharacters(in: .whitespaces) + "\n"
        case (.terminal, .partial): return clearLine + event.text.trimmingCharacters(in: .whitespaces)
        }
    }
}
