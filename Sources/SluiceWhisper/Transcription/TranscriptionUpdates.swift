import Dispatch
import Synchronization

/// A transcription as an `AsyncSequence` of ``TranscriptionUpdate``s, one a window. Pull-driven: a window is
/// decoded (on a dispatch queue, not the caller's executor) only when `next()` asks, so a consumer that stops
/// leaves no work running; a cancelled consumer ends the window in hand within a token and gets nil.
public struct TranscriptionUpdates: AsyncSequence, Sendable {
    public typealias Element = TranscriptionUpdate
    let transcriber: Transcriber
    let features: MelFeatures
    let statistics: TranscriptionStatistics?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(state: State(run: TranscriptionRun(transcriber: transcriber, features: features, statistics: statistics)))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let state: State

        public mutating func next() async throws -> TranscriptionUpdate? {
            let state = state
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    state.queue.async { continuation.resume(with: Result { try state.next() }) }
                }
            } onCancel: {
                state.cancelled.withLock { $0 = true }
            }
        }
    }

    /// One iteration's run, used only on its serial queue; `cancelled` is read between tokens.
    final class State: @unchecked Sendable {
        let queue = DispatchQueue(label: "sluice.transcription")
        let cancelled = Mutex(false)
        private var run: TranscriptionRun

        init(run: TranscriptionRun) {
            self.run = run
            self.run.isCancelled = { [unowned self] in cancelled.withLock { $0 } }
        }

        func next() throws -> TranscriptionUpdate? {
            guard !cancelled.withLock({ $0 }) else { return nil }
            let update = try run.next()
            return cancelled.withLock { $0 } ? nil : update
        }
    }
}
