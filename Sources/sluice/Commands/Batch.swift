import ArgumentParser
import Foundation
import SluiceBatch
import SluiceNN
import SluicePipelines

/// `sluice batch DIR|FILE… --pipeline P --out DIR`: a pipeline over every input file, resumable and shardable.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline over folders of files, into a mirrored output folder.",
        discussion: """
            Folders are searched recursively for the files the pipeline's input reads (audio: the \
            extensions libsndfile and FFmpeg read: wav, flac, mp3, m4a, mp4, webm, ogg, opus, amr, …); \
            the other files are listed as skipped. Input a/b/c.flac under a folder argument writes OUT/a/b/c.EXT, \
            EXT from the pipeline's output (txt, json, srt, vtt, jsonl, wav, flac, npy). Each output is \
            written under a temporary name and renamed; OUT/.sluice-manifest.jsonl (shard I of N: \
            .sluice-manifest.shard-I-of-N.jsonl) records every input \
            (status, outputs, error, seconds, the pipeline's fingerprint), so a re-run skips what is done \
            with the same pipeline and options and redoes the rest. A lock in OUT keeps a second run \
            (or a second copy of one shard) out while one is running: it exits 1 at once, or waits with \
            --wait-lock. \
            --shard I/N (or JOB_COMPLETION_INDEX with --shard-count N, or SLURM_ARRAY_TASK_ID) processes \
            the inputs whose path hashes to shard I. Exit codes: 0 every input ok, 1 some failed or the \
            run was interrupted, 64 usage, 78 bad pipeline.
            """
    )

    @Argument(help: "Input folders and files.")
    var inputs: [String]

    @Option(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(help: "The output folder (created when missing).")
    var out: String

    @Option(help: "Inputs processed at once, 1...\(Self.maximumJobs); the model weights are loaded once and shared.")
    var jobs = 1

    /// More jobs than this only share the same cores and multiply the memory of the running inputs.
    static let maximumJobs = 256

    @Option(help: ArgumentHelp("Process only shard I of N (1-based).", valueName: "I/N"))
    var shard: String?

    @Option(help: "The number of shards when the shard index comes from JOB_COMPLETION_INDEX (or SLURM_ARRAY_TASK_ID).")
    var shardCount: Int?

    @Option(help: "skip: record a failed input and go on; fail: stop at the first failure.")
    var onError: FailurePolicy = .skip

    @Option(name: .customLong("set"), help: ArgumentHelp("Override an option: ID.OPTION=VALUE (repeatable).", valueName: "ID.OPTION=VALUE"))
    var overrides: [String] = []

    @Option(help: "BLAS threads per job (default: the cores divided by --jobs).")
    var threads: Int?

    @Option(help: "Seconds the running inputs get to finish after the first SIGINT/SIGTERM before they are cancelled.")
    var drainTimeout = GraphExecution.defaultDrainTimeout

    @Flag(help: "Wait for a run already writing into --out (the same shard) to finish, instead of exiting 1.")
    var waitLock = false

    @Flag(help: "Redo every input, even those already done with this pipeline and options.")
    var force = false

    func validate() throws {
        guard (1...Self.maximumJobs).contains(jobs) else { throw ValidationError("--jobs must be in 1...\(Self.maximumJobs), got \(jobs)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard drainTimeout > 0 else { throw ValidationError("--drain-timeout must be positive") }
        for text in overrides {
            do { _ = try Override.parse(text) } catch { throw ValidationError(error.description) }
        }
        do { _ = try selectShard() } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let (shard, shardSource) = try selectShard()
        let job = try loadingConfiguration { try PipelineJob(path: pipeline, overrides: overrides.map { try Override.parse($0) }) }
        let folder = out.count > 1 && out.hasSuffix("/") ? String(out.dropLast()) : out
        let discovered: InputDiscovery.Found
        do {
            discovered = try InputDiscovery(extensions: job.inputExtensions, excluded: folder).find(inputs)
        } catch {
            printError("sluice: error: \(error)")
            throw SluiceExit.usage
        }
        let found = discovered.inputs
        Ops.setThreads(threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs))

        let layout = OutputLayout(folder: folder, fileExtension: job.outputExtension)
        let lock: BatchLock
        let manifest: ManifestWriter
        do {
            try OutputFolder.create(folder)
            // Taken before the manifest is read and leftovers are removed: what another run is
            // writing is not a leftover.
            lock = try BatchLock(folder: folder, shard: shard, wait: waitLock) { printError("sluice: batch: \($0)") }
            if let warning = lock.unavailable { printError("sluice: batch: warning: \(warning)") }
            manifest = try ManifestWriter(path: folder + "/" + Manifest.fileName(for: shard))
        } catch {
            printError("sluice: error: \(error)")
            throw SluiceExit.runtimeFailure
        }
        let plan = BatchPlan(
            inputs: found, shard: shard, entries: Manifest.read(folder: folder), layout: layout,
            fingerprint: job.fingerprint, redoAll: force
        ) {
            FileManager.default.fileExists(atPath: $0)
        }
        let removed = layout.removeUnfinished(of: plan.pending)
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let selected = plan.pending.count + plan.done.count
        if let note = Self.skippedNote(discovered.skipped) { printError(note) }
        printError(
            "sluice: batch: "
                + (shardSource.map { "shard \(shard) (\($0)): \(selected) of \(counted(found.count, "input")) found" }
                    ?? "\(counted(found.count, "input")) found")
                + "; \(plan.done.count) already done, \(plan.pending.count) to process with \(counted(jobs, "job"))"
                + (removed.isEmpty ? "" : "; removed \(counted(removed.count, "unfinished output")) of a stopped run"))
        if plan.stale > 0 {
            printError(
                "sluice: batch: \(counted(plan.stale, "input")) done by another pipeline or with other options: redoing \(plan.stale == 1 ? "it" : "them")"
            )
        }
        if plan.unfingerprinted > 0 {
            printError(
                "sluice: batch: \(counted(plan.unfingerprinted, "output")) recorded by an older sluice without a pipeline fingerprint \(plan.unfingerprinted == 1 ? "is" : "are") kept as done; --force redoes every input"
            )
        }

        let display = ProgressDisplay(
            tally: BatchTally(
                total: selected, skipped: plan.done.count,
                pendingBytes: plan.pending.reduce(0) { $0 + $1.size }))
        let runner = BatchRunner(
            pending: plan.pending, job: job, layout: layout, manifest: manifest, display: display,
            options: BatchRunner.Options(
                jobs: jobs, stopOnError: onError == .fail, drainSeconds: drainTimeout,
                sluiceVersion: Sluice.configuration.version))
        let signals = BatchSignals(runner: runner, drainSeconds: drainTimeout) { display.note("sluice: batch: \($0)") }
        let ending: BatchRunner.Ending
        do {
            ending = try runner.run()
        } catch {
            _ = display.finish()
            printError("sluice: error: \(error)")
            throw SluiceExit.runtimeFailure
        }
        withExtendedLifetime((signals, lock)) {}
        let wall = display.wallSeconds
        let tally = display.finish()
        printError(tally.summary(wallSeconds: wall))
        switch ending {
        case .finished: break
        case .stoppedOnError:
            printError("sluice: error: stopped at the first failed input (--on-error fail); re-run to resume")
        case .interrupted:
            printError("sluice: batch: interrupted with \(counted(tally.left, "input")) left; re-run to resume")
        }
        if tally.failed > 0 || ending != .finished { throw SluiceExit.runtimeFailure }
    }

    /// One line naming the files the folders held that the pipeline's input does not read (the first few), or nil.
    static func skippedNote(_ skipped: [String], shown: Int = 5) -> String? {
        guard !skipped.isEmpty else { return nil }
        let count = skipped.count
        let more = count > shown ? ", and \(count - shown) more" : ""
        return "sluice: batch: skipped \(count) file\(count == 1 ? "" : "s") with an extension the pipeline's input does not read: "
            + skipped.prefix(shown).joined(separator: ", ") + more
    }

    private func selectShard() throws(BatchError) -> (Shard, String?) {
        try ShardSelection.resolve(shard: shard, shardCount: shardCount, environment: ProcessInfo.processInfo.environment)
    }
}

/// `--on-error` of `sluice batch`.
enum FailurePolicy: String, CaseIterable, ExpressibleByArgument {
    case skip, fail
}
