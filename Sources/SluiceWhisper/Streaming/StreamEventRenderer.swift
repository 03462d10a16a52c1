import Foundation

/// How stream events are written, for the stages (and so `sluice transcribe --stream` and `sluice run`) and
/// the service's WebSocket (`jsonl`, one object a message).
public enum StreamEventFormat: String, CaseIterable, Sendable {
    /// Every event, one JSON line each (``StreamEvent/jsonLine(emittedAt:)``).
    case jsonl
    /// Final text (of the target lane, in a translation stream), a line per event.
    case txt
    /// Final lines and the partial line (a record without a newline), which the `text` output rewrites in
    /// place on a terminal and leaves out elsewhere.
    case terminal
    /// A translation stream's read/write steps in EAST's interleaved form (``InterleavedStep``), a line each.
    case interleaved
}

/// Turns stream events into records (lines) in one ``StreamEventFormat``: the one place events are rendered.
/// Interleaved output holds source text until the next target write.
public struct StreamEventRenderer {
    public let format: StreamEventFormat
    /// Source text read since the last target write (interleaved).
    private var pendingSource = ""

    public init(format: StreamEventFormat) { self.format = format }

    /// The record for `event` (ending in a newline, but for a terminal's partial line), or nil when this
    /// format does not show it. A transcription stream's events count as the target lane.
    public mutating func render(_ event: StreamEvent, emittedAt: Double) -> String? {
        let text = event.text.trimmingCharacters(in: .whitespaces)
        switch (format, event.lane ?? .target, event.kind) {
        case (.jsonl, _, _): return event.jsonLine(emittedAt: emittedAt)
        case (.txt, .target, .final), (.terminal, .target, .final): return text + "\n"
        case (.terminal, .target, .partial): return text
        case (.interleaved, .source, .final):
            pendingSource += event.text
            return nil
        case (.interleaved, .target, .final):
            defer { pendingSource = "" }
            return InterleavedStep(source: pendingSource, target: event.text).rendered + "\n"
        default: return nil
        }
    }

    /// What is left at the end of the stream (source text read after the last write).
    public mutating func finish() -> [String] {
        guard format == .interleaved, !pendingSource.isEmpty else { return [] }
        defer { pendingSource = "" }
        return [InterleavedStep(source: pendingSource, target: "").rendered + "\n"]
    }
}
