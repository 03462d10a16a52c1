import Foundation
import SluiceCore
import SluiceWhisper

/// The one engine stage that drives a ``StreamingRecognizer`` (`whisper.stream`, `simul.translate`): 16 kHz
/// mono audio packets in, its events out as text records in one ``StreamEventFormat`` (`emitted_at` measured
/// from the first audio packet). `sluice serve` runs it too, one per stream.
public final class RecognizerStage: Stage {
    public let outputFormat: StreamFormat
    private let recognizer: any StreamingRecognizer
    private var renderer: StreamEventRenderer
    private var started: ContinuousClock.Instant?
    private var position: Int64 = 0

    public init(recognizer: any StreamingRecognizer, format: StreamEventFormat) {
        self.recognizer = recognizer
        renderer = StreamEventRenderer(format: format)
        outputFormat = .text(TextFormat(kind: format.rawValue))
    }

    public func process(_ packet: Packet, input: Int, emit: Emit) throws {
        if started == nil { started = .now }
        try send(recognizer.push(packet.data), emit: emit)
    }

    public func finish(emit: Emit) throws {
        try send(recognizer.finish(), emit: emit)
        try send(renderer.finish(), emit: emit)
    }

    private func send(_ events: [StreamEvent], emit: Emit) throws {
        guard !events.isEmpty else { return }
        let seconds = (started ?? .now).duration(to: .now).seconds
        try send(events.compactMap { renderer.render($0, emittedAt: seconds) }, emit: emit)
    }

    private func send(_ records: [String], emit: Emit) throws {
        guard !records.isEmpty else { return }
        try emit(Packet(position: position, text: records))
        position += Int64(records.count)
    }
}
