import SluiceWhisper
import Foundation

/// How simultaneous-translation events are written.
public enum SimulTextFormat: String, Sendable, CaseIterable {
    case jsonl, txt, terminal, interleaved

    /// Turns events into records; interleaved output holds source text until the next target write.
    public struct Renderer {
        public let format: SimulTextFormat
        /// Source text read since the last target write (interleaved).
        private var pendingSource = ""

        public init(format: SimulTextFormat) { self.format = format }

        /// The record for `event`, or nil when this format does not show it.
        public mutating func render(_ event: SimulEvent, emittedAt: Double) -> String? {
            let clearLine = "\r\u{1B}[2K"
            let text = event.text.trimmingCharacters(in: .whitespaces)
            switch (format, event.lane, event.kind) {
            case (.jsonl, _, _): return event.jsonLine(emittedAt: emittedAt)
            case (.txt, .target, .final): return text + "\n"
            case (.terminal, .target, .final): return clearLine + text + "\n"
            case (.terminal, .target, .partial): return clearLine + text
            case (.interleaved, .source, .final):
                pendingSource += event.text
                return nil
            case (.interleaved, .target, .final):
                defer { pendingSource = "" }
                return Self.step(source: pendingSource, target: event.text)
            default: return nil
            }
        }

        /// One read/write step in Sluice's interleaved form, as a line (the lines together parse as one transcript).
        private static func step(source: String, target: String) -> String {
            InterleavedTranscript(steps: [.init(source: source, target: target)]).rendered + "\n"
        }

        /// What is left at the end of the stream (source text read after the last write).
        public mutating func finish() -> [String] {
            guard format == .interleaved, !pendingSource.isEmpty else { return [] }
            defer { pendingSource = "" }
            return [Self.step(source: pendingSource, target: "")]
        }
    }
}
