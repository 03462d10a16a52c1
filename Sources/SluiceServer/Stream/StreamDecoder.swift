import Dispatch
import SluiceCore
import SluiceWhisper

/// One stream's pipeline (``StreamSettings``: resampling, then a streaming recognizer) on its own serial
/// dispatch queue — never on NIO's event loops or Swift's cooperative pool, where a 0.3 s decoding step would
/// stall other connections.
///
/// - Calls are awaited one at a time by the session, so at most one chunk waits here; while a step runs
///   the session reads nothing more from its socket (backpressure reaches the client through TCP).
/// - The stages are built for the rate of the first audio (a stream's rate does not change).
final class StreamDecoder: @unchecked Sendable {  // `chain` and `position` are used only on `queue`
    private let queue: DispatchQueue
    private let settings: StreamSettings
    private let metrics: ServiceMetrics
    private var chain: StageChain?
    private var position: Int64 = 0

    init(settings: StreamSettings, metrics: ServiceMetrics, label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        self.settings = settings
        self.metrics = metrics
    }

    /// Runs `samples` (mono, at `sampleRate`) through the stream's stages; returns the events they produced,
    /// one JSON object each.
    /// - Throws: `StreamProtocolError` when the pipeline does not take audio at this rate; a decoding error.
    func push(_ samples: [Float], sampleRate: Int) async throws -> [String] {
        try await run(audioSeconds: Double(samples.count) / Double(sampleRate)) { decoder in
            if decoder.chain == nil { decoder.chain = try decoder.settings.chain(sampleRate: sampleRate) }
            let packet = Packet(position: decoder.position, frames: samples.count, data: samples)
            decoder.position += Int64(samples.count)
            return Self.events(try decoder.chain!.push(packet))
        }
    }

    /// End of stream: the stages drain (the resampler's tail, a last step, every pending word as final).
    func finish() async -> [String] {
        (try? await run(audioSeconds: 0) { decoder in
            try decoder.chain.map { Self.events(try $0.finish()) } ?? []
        }) ?? []
    }

    private func run(audioSeconds: Double, _ work: @escaping @Sendable (StreamDecoder) throws -> [String]) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let started = ContinuousClock.now
                let result = Result { try work(self) }
                self.metrics.decoded(.stream, audioSeconds: audioSeconds, busySeconds: started.duration(to: .now).seconds)
                continuation.resume(with: result)
            }
        }
    }

    /// The JSON objects of the recognizer's `jsonl` records (a line each).
    private static func events(_ packets: [Packet]) -> [String] {
        packets.flatMap(\.text).map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
    }
}
