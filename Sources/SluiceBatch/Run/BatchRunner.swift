import Foundation
import SluiceCore

/// Runs a batch plan: `jobs` worker threads take the pending inputs in order, run the pipeline on
/// each, append its manifest entry and show progress.
///
/// - Every input that ends, ok or with an error, gets a manifest entry (with the pipeline's
///   fingerprint) before the worker moves on; a failed input's temporary output is removed.
/// - A failed input is recorded and skipped, or (`stopOnError`) ends the run: no new input starts,
///   the ones running finish.
/// - `interrupt()` (first SIGINT/SIGTERM): no new input starts; the running ones get `drainSeconds`
///   to finish, then are cancelled. `cancel()` (second signal) cancels them at once. A cancelled
///   input writes nothing and has no manifest entry, so the next run redoes it.
public final class BatchRunner: @unchecked Sendable {  // mutable state is guarded by `lock`
    /// How a run ended.
    public enum Ending: Sendable, Equatable {
        case finished
        /// Stopped at the first failure (`stopOnError`).
        case stoppedOnError
        /// Stopped by a signal.
        case interrupted
    }

    public struct Options: Sendable {
        public var jobs: Int
        public var stopOnError: Bool
        public var drainSeconds: Double
        /// Recorded in each manifest entry.
        public var sluiceVersion: String?

        public init(jobs: Int, stopOnError: Bool, drainSeconds: Double, sluiceVersion: String? = nil) {
            self.jobs = jobs
            self.stopOnError = stopOnError
            self.drainSeconds = drainSeconds
            self.sluiceVersion = sluiceVersion
        }
    }

    private let pending: [BatchInput]
    private let job: PipelineJob
    private let layout: OutputLayout
    private let manifest: ManifestWriter
    private let display: ProgressDisplay
    private let options: Options
    private let lock = NSLock()
    private var next = 0
    private var ending = Ending.finished
    private var running: [ObjectIdentifier: GraphRunner] = [:]
    private var manifestFailure: String?

    public init(
        pending: [BatchInput], job: PipelineJob, layout: OutputLayout, manifest: ManifestWriter,
        display: ProgressDisplay, options: Options
    ) {
        self.pending = pending
        self.job = job
        self.layout = layout
        self.manifest = manifest
        self.display = display
        self.options = options
    }

    /// Processes the pending inputs; blocks until every worker has stopped.
    ///
    /// - Throws: `BatchError` when the manifest cannot be written (the run stops: progress that
    ///   cannot be recorded would be redone anyway).
    public func run() throws -> Ending {
        let group = DispatchGroup()
        for worker in 0..<max(1, min(options.jobs, pending.count)) {
            group.enter()
            let thread = Thread { [self] in
                work()
                group.leave()
            }
            thread.name = "sluice.batch.\(worker)"
            thread.start()
        }
        group.wait()
        return try lock.withLock {
            if let manifestFailure { throw BatchError(manifestFailure) }
            return ending
        }
    }

    /// Starts no new input; cancels the running ones after the drain time.
    public func interrupt() {
        lock.withLock { if ending == .finished { ending = .interrupted } }
        DispatchQueue.global().asyncAfter(deadline: .now() + options.drainSeconds) { [weak self] in self?.cancel() }
    }

    /// Starts no new input and cancels the running ones.
    public func cancel() {
        let runners = lock.withLock {
            if ending == .finished { ending = .interrupted }
            return Array(running.values)
        }
        for runner in runners { runner.cancel() }
    }

    private func work() {
        while let input = take() {
            let relativeOutput = layout.relativeOutput(for: input)
            let output = layout.path(relativeOutput)
            let startTime = Date()
            let outcome: PipelineJob.Outcome
            do {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: output).deletingLastPathComponent().path, withIntermediateDirectories: true)
                outcome = job.run(
                    input: input.path, output: output,
                    started: { runner in lock.withLock { running[ObjectIdentifier(runner)] = runner } },
                    ended: { runner in _ = lock.withLock { running.removeValue(forKey: ObjectIdentifier(runner)) } })
            } catch {
                outcome = .failed("\(error)")
            }
            let wall = Date().timeIntervalSince(startTime)
            let entry: ManifestEntry
            switch outcome {
            case .cancelled:
                layout.removeOwnUnfinished(relativeOutput)
                continue
            case .succeeded(let seconds):
                entry = ManifestEntry(
                    input: input, status: .ok, outputs: [relativeOutput], error: nil, audioSeconds: seconds, wallSeconds: wall,
                    pipeline: job.fingerprint, sluiceVersion: options.sluiceVersion, finished: Date().timeIntervalSince1970)
            case .failed(let message):
                layout.removeOwnUnfinished(relativeOutput)
                entry = ManifestEntry(
                    input: input, status: .failed, outputs: [], error: message, audioSeconds: 0, wallSeconds: wall,
                    pipeline: job.fingerprint, sluiceVersion: options.sluiceVersion, finished: Date().timeIntervalSince1970)
            }
            do {
                try manifest.append(entry)
            } catch {
                lock.withLock { manifestFailure = "\(error)" }
                return
            }
            display.record(entry)
            if entry.status == .failed && options.stopOnError {
                lock.withLock { if ending == .finished { ending = .stoppedOnError } }
            }
        }
    }

    /// The next input, or nil when there is none or the run is stopping.
    private func take() -> BatchInput? {
        lock.withLock {
            guard ending == .finished, manifestFailure == nil, next < pending.count else { return nil }
            defer { next += 1 }
            return pending[next]
        }
    }
}
