import Dispatch
import SluiceAudio
import SluiceWhisper

/// One stream's Whisper decoder on its own serial dispatch queue — never on NIO's event loops or Swift's
/// cooperative pool, where a 0.3 s decoding step would stall other connections.
///
/// - Calls are awaited one at a time by the session, so at most one chunk waits here; while a step runs
///   the session reads nothing more from its socket (backpressure reaches the client through TCP).
/// - Audio at other rates is resampled to 16 kHz on the same queue.
final class StreamDecoder: @unchecked Sendable {  // `transcriber` and `resampler` are used only on `queue`
    private let queue: DispatchQueue
    private let transcriber: StreamingTranscriber
    private let metrics: ServiceMetrics
    private var resampler: Resampler?

    init(model: WhisperModel, options: StreamingOptions, metrics: ServiceMetrics, label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        transcriber = StreamingTranscriber(model: model, options: options)
        self.metrics = metrics
    }

    /// Decodes `samples` (mono, at `sampleRate`); returns the events they produced.
    func push(_ samples: [Float], sampleRate: Int) async throws -> [StreamEvent] {
        try await run(audioSeconds: Double(samples.count) / Double(sampleRate)) { decoder in
            try decoder.transcriber.push(decoder.resampled(samples, sampleRate: sampleRate))
        }
    }

    /// End of stream: the resampler's tail, a last step, and every pending word as final.
    func finish() async -> [StreamEvent] {
        (try? await run(audioSeconds: 0) { decoder in
            let tail = decoder.resampler?.flush() ?? []
            return (tail.isEmpty ? [] : try decoder.transcriber.push(tail)) + (try decoder.transcriber.finish())
        }) ?? []
    }

    private func run(audioSeconds: Double, _ work: @escaping @Sendable (StreamDecoder) throws -> [StreamEvent]) async throws -> [StreamEvent] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let started = ContinuousClock.now
                let result = Result { try work(self) }
                self.metrics.decoded(.stream, audioSeconds: audioSeconds, busySeconds: started.duration(to: .now).seconds)
                continuation.resume(with: result)
            }
        }
    }

    /// `samples` at 16 kHz (a resampler is made for the first chunk at another rate).
    private func resampled(_ samples: [Float], sampleRate: Int) throws -> [Float] {
        guard sampleRate != 16000 else { return samples }
        if resampler == nil { resampler = try Resampler(inputRate: Double(sampleRate), outputRate: 16000, channels: 1) }
        return resampler!.process(samples)
    }
}
