import Foundation
import SluiceTestSupport
import Testing

/// `sluice batch` end to end: mirrored outputs, the manifest, failures, resuming after `kill -9`,
/// shards from flags and from the array-job environment.
@Suite struct BatchCommandTests {
    static let sample = SluiceProcess.packageRoot.appendingPathComponent("Samples/1089-134686-0001.flac").path
    static let oggSample = SluiceProcess.packageRoot.appendingPathComponent("Tests/SluiceAudioTests/Fixtures/speech-1.5s.ogg").path
    /// `Pipelines/mel.yaml` writes 128 header bytes plus 327 frames × 80 floats for the sample.
    static let sampleMelBytes = 128 + 327 * 80 * 4

    /// A temporary input tree with a copy of the sample at each relative path (or `contents` for the
    /// paths given there), and the output folder beside it.
    static func corpus(_ paths: [String], contents: [String: Data] = [:]) throws -> (input: String, output: String) {
        let folder = try SluiceProcess.temporaryFolder()
        let input = folder.appendingPathComponent("in").path
        for path in paths {
            let target = input + "/" + path
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if let data = contents[path] {
                #expect(FileManager.default.createFile(atPath: target, contents: data))
            } else {
                try FileManager.default.copyItem(atPath: sample, toPath: target)
            }
        }
        return (input, folder.appendingPathComponent("out").path)
    }

    /// Every manifest line in `folder`, parsed.
    static func manifest(_ folder: String, name: String = ".sluice-manifest.jsonl") throws -> [[String: Any]] {
        let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        return try text.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// The cells of the summary table's row in a run's stderr.
    static func summaryRow(_ stderr: String) -> [String] {
        let lines = stderr.split(separator: "\n")
        guard let header = lines.firstIndex(where: { $0.hasPrefix("files  ok") }), header + 1 < lines.count else { return [] }
        return lines[header + 1].split(separator: " ").map(String.init)
    }

    /// Every file under `folder`, as relative paths, hidden ones included.
    static func files(_ folder: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }

    /// Starts `sluice batch` over `input` with the mel pipeline and waits until `outputs` outputs exist.
    static func startMelBatch(_ input: String, _ output: String, outputs: Int) throws -> Process {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--jobs", "2", "--threads", "1"]
        process.currentDirectoryURL = SluiceProcess.packageRoot
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while files(output).filter({ $0.hasSuffix(".npy") }).count < outputs && process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        return process
    }

    @Test func mirrorsTheTreeRecordsAManifestAndSkipsWhatIsDone() throws {
        let (input, output) = try Self.corpus(["a/b/one.flac", "c/two.flac"], contents: ["c/notes.txt": Data("not audio".utf8)])
        try FileManager.default.copyItem(atPath: Self.oggSample, toPath: input + "/c/three.ogg")
        let result = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--jobs", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.files(output) == [".sluice-batch.lock", ".sluice-manifest.jsonl", "a/b/one.npy", "c/three.npy", "c/two.npy"])
        for path in ["a/b/one.npy", "c/two.npy"] {
            #expect((try FileManager.default.attributesOfItem(atPath: output + "/" + path)[.size] as? Int) == Self.sampleMelBytes)
        }
        let entries = try Self.manifest(output).filter { $0["input"] as? String != "c/three.ogg" }
            .sorted { ($0["input"] as! String) < ($1["input"] as! String) }
        #expect(entries.map { $0["input"] as? String } == ["a/b/one.flac", "c/two.flac"])
        for entry in entries {
            #expect(entry["status"] as? String == "ok")
            #expect((entry["pipeline"] as? String)?.count == 16 && entry["sluice_version"] as? String == "0.1.0")
            #expect(entry["outputs"] as? [String] == [(entry["input"] as! String).replacingOccurrences(of: ".flac", with: ".npy")])
            #expect(entry["audio_seconds"] as? Double == 3.275)
            #expect(entry["size"] as? Int == 58_350)
            #expect((entry["mtime"] as? Double ?? 0) > 1_600_000_000 && (entry["wall_seconds"] as? Double ?? -1) >= 0)
        }
        // Not a terminal: plain lines, then the summary table.
        #expect(result.stderr.contains("sluice: batch: [3/3] "))
        #expect(result.stderr.contains("files  ok  failed  skipped  left  audio h"))

        let again = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("3 already done, 0 to process"))
        #expect(try Self.manifest(output).count == 3)
    }

    @Test func aCorruptFileIsRecordedAndSkippedOrStopsTheRun() throws {
        let cut = try Data(contentsOf: URL(fileURLWithPath: Self.sample)).prefix(20_000)
        let (input, output) = try Self.corpus(
            ["a-bad.wav", "b.flac", "c.flac", "d-cut.flac"],
            contents: ["a-bad.wav": Data("RIFF not really".utf8), "d-cut.flac": cut])
        let skip = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/resample.yaml", "--out", output])
        #expect(skip.status == 1)
        // Each failed input is an entry; no temporary file is left of it.
        #expect(Self.files(output) == [".sluice-batch.lock", ".sluice-manifest.jsonl", "b.wav", "c.wav"])
        #expect(
            try Self.manifest(output).filter { $0["status"] as? String == "failed" }.map { $0["input"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") }
                == ["a-bad.wav", "d-cut.flac"])
        let failed = try #require(try Self.manifest(output).first { $0["input"] as? String == "a-bad.wav" })
        #expect(failed["status"] as? String == "failed")
        #expect(failed["outputs"] as? [String] == [])
        #expect((failed["error"] as? String ?? "").contains("a-bad.wav: not an audio file"))
        #expect(skip.stderr.contains("failed: a-bad.wav: "))

        let stopOutput = output + "-fail"
        let stop = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/resample.yaml", "--out", stopOutput, "--on-error", "fail"])
        #expect(stop.status == 1)
        #expect(stop.stderr.contains("stopped at the first failed input"))
        // The bad file sorts first: nothing after it started, and the summary counts the inputs not run.
        #expect(Self.files(stopOutput) == [".sluice-batch.lock", ".sluice-manifest.jsonl"])
        #expect(Self.summaryRow(stop.stderr).prefix(5) == ["4", "0", "1", "0", "3"])
    }

    @Test func resumesAfterKillMinus9WithoutRedoingOrLeavingHalfFiles() throws {
        let names = (0..<100).map { "s\($0 / 10)/u\($0).flac" }
        let (input, output) = try Self.corpus(names)
        let process = try Self.startMelBatch(input, output, outputs: 8)
        let killedWhileRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killedWhileRunning, "the batch finished before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)

        let before = try Self.manifest(output)
        let doneBefore = Set(before.filter { $0["status"] as? String == "ok" }.map { $0["input"] as! String })
        #expect(!doneBefore.isEmpty && doneBefore.count < names.count)
        // Whatever the kill cut short, plus a temporary file as a killed writer leaves it.
        let pendingName = try #require(names.first { !doneBefore.contains($0) })
        let stale =
            output + "/" + (pendingName as NSString).deletingLastPathComponent + "/."
            + ((pendingName as NSString).lastPathComponent as NSString).deletingPathExtension + ".npy.tmp-999999-1"
        try FileManager.default.createDirectory(atPath: (stale as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: stale, contents: Data(repeating: 0, count: 100)))

        let resumed = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--jobs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("\(doneBefore.count) already done, \(names.count - doneBefore.count) to process"))
        #expect(resumed.stderr.contains("removed "))
        let all = Self.files(output)
        #expect(all.filter { $0.contains(".tmp-") } == [])
        #expect(
            all == ([".sluice-batch.lock", ".sluice-manifest.jsonl"] + names.map { $0.replacingOccurrences(of: ".flac", with: ".npy") }).sorted())
        for name in all where name.hasSuffix(".npy") {
            #expect((try FileManager.default.attributesOfItem(atPath: output + "/" + name)[.size] as? Int) == Self.sampleMelBytes, "\(name)")
        }
        // Entries added by the second run: exactly the inputs the first one had not finished.
        let after = try Self.manifest(output)
        let added = try Self.manifest(output).dropFirst(before.count).map { $0["input"] as! String }
        #expect(Set(added) == Set(names).subtracting(doneBefore))
        #expect(added.count == Set(added).count)
        #expect(after.allSatisfy { $0["status"] as? String == "ok" })
    }

    @Test func sigintFinishesTheRunningInputsAndStops() throws {
        let names = (0..<100).map { "s\($0 / 10)/u\($0).flac" }
        let (input, output) = try Self.corpus(names)
        let process = try Self.startMelBatch(input, output, outputs: 5)
        #expect(process.isRunning, "the batch finished before the signal")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        // Every input recorded is ok with its whole output; nothing half-written; the rest was not started.
        let entries = try Self.manifest(output)
        #expect(entries.count < names.count && entries.allSatisfy { $0["status"] as? String == "ok" })
        let written = Self.files(output).filter { $0.hasSuffix(".npy") }
        #expect(Set(written) == Set(entries.map { ($0["input"] as! String).replacingOccurrences(of: ".flac", with: ".npy") }))
        #expect(Self.files(output).filter { $0.contains(".tmp-") } == [])
    }

    @Test func shardsTogetherEqualTheWholeRun() throws {
        let names = (0..<12).map { "d\($0 % 3)/f\($0).flac" }
        let (input, output) = try Self.corpus(names)
        let whole = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/resample.yaml", "--out", output + "-whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        var seen: [String] = []
        for index in 1...3 {
            let part = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/resample.yaml", "--out", output, "--shard", "\(index)/3"])
            #expect(part.status == 0, "\(part.stderr)")
            seen += try Self.manifest(output, name: ".sluice-manifest.shard-\(index)-of-3.jsonl").map { $0["input"] as! String }
        }
        #expect(seen.count == names.count && Set(seen) == Set(names))
        let outputs = { (folder: String) in Self.files(folder).filter { $0.hasSuffix(".wav") } }
        #expect(outputs(output) == outputs(output + "-whole"))
        #expect(outputs(output).count == names.count)
    }

    @Test func shardsComeFromKubernetesAndSlurmEnvironments() throws {
        let names = (0..<9).map { "f\($0).flac" }
        let (input, output) = try Self.corpus(names)
        func inputs(_ arguments: [String], environment: [String: String] = [:], folder: String) throws -> Set<String> {
            let result = try SluiceProcess.run(
                ["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", folder] + arguments, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let manifest = try #require(Self.files(folder).first { $0.hasPrefix(".sluice-manifest") })
            return Set(try Self.manifest(folder, name: manifest).map { $0["input"] as! String })
        }
        let second = try inputs(["--shard", "2/3"], folder: output + "-flag")
        let kubernetes = try inputs(["--shard-count", "3"], environment: ["JOB_COMPLETION_INDEX": "1"], folder: output + "-k8s")
        let slurm = try inputs(
            [], environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"], folder: output + "-slurm")
        #expect(kubernetes == second && slurm == second)
        // --shard wins over the environment.
        let third = try inputs(
            ["--shard", "3/3"], environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3"], folder: output + "-wins")
        #expect(third.isDisjoint(with: second))

        for (arguments, environment) in [
            (["--shard", "0/3"], [:]), (["--shard-count", "3"], ["JOB_COMPLETION_INDEX": "3"]),
            ([], ["JOB_COMPLETION_INDEX": "1"]), ([], ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "3"]),
        ] {
            let bad = try SluiceProcess.run(
                ["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output + "-bad"] + arguments, environment: environment)
            #expect(bad.status == 64, "\(arguments) \(environment)")
            #expect(bad.stderr.contains("Error: "), "\(bad.stderr)")
        }
    }

    @Test func usageAndPipelineErrorsHaveTheirExitCodes() throws {
        let (input, output) = try Self.corpus(["x.flac"])
        let missing = try SluiceProcess.run(["batch", input + "/nope", "--pipeline", "Pipelines/mel.yaml", "--out", output])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("nope: no such file or folder"))
        for jobs in ["0", "257"] {
            let tooMany = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--jobs", jobs])
            #expect(tooMany.status == 64)
            #expect(tooMany.stderr.contains("--jobs must be in 1...256, got \(jobs)"), "\(tooMany.stderr)")
        }
        // An output folder that cannot be made: one line with the system's reason, exit 1.
        let file = input + "/notes.txt"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let unwritable = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", file + "/out"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr == "sluice: error: \(file)/out: cannot create the output folder: Not a directory\n")
        let badPipeline = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--set", "mel.n_mel=80"])
        #expect(badPipeline.status == 78)
        #expect(badPipeline.stderr.contains("unknown option 'n_mel'"))
        // --set reaches every input's pipeline.
        let overridden = try SluiceProcess.run([
            "batch", input, "--pipeline", "Pipelines/resample.yaml", "--out", output, "--set", "resample.sample_rate_hz=8000",
        ])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(try RunCommandTests.decode(output + "/x.wav").rate == 8000)
    }

    @Test(.needsModels("tiny.en")) func transcribesWithOneSharedModelAcrossJobs() throws {
        let (input, output) = try Self.corpus(["a/one.flac", "b/two.flac"])
        let result = try SluiceProcess.run([
            "batch", input, "--pipeline", "Pipelines/transcribe.yaml", "--out", output, "--jobs", "2",
            "--set", "asr.beam_size=1", "--set", "asr.format=srt",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.files(output) == [".sluice-batch.lock", ".sluice-manifest.jsonl", "a/one.srt", "b/two.srt"])
        let one = try String(contentsOfFile: output + "/a/one.srt", encoding: .utf8)
        #expect(one.hasPrefix("1\n00:00:00,000 --> 00:00:03,"))
        #expect(one.contains("belly counseled him."))
        #expect(try String(contentsOfFile: output + "/b/two.srt", encoding: .utf8) == one)
        // Other options into the same folder: new outputs, not "already done".
        let vtt = try SluiceProcess.run([
            "batch", input, "--pipeline", "Pipelines/transcribe.yaml", "--out", output, "--jobs", "2",
            "--set", "asr.beam_size=1", "--set", "asr.format=vtt",
        ])
        #expect(vtt.status == 0, "\(vtt.stderr)")
        #expect(vtt.stderr.contains("0 already done, 2 to process"))
        #expect(try String(contentsOfFile: output + "/a/one.vtt", encoding: .utf8).hasPrefix("WEBVTT"))
    }

    @Test func aSecondRunIntoABusyFolderIsRefusedAndTheFirstCompletesIntact() throws {
        // Enough inputs that the first run outlasts two process starts (each loads FFmpeg's libraries).
        let names = (0..<300).map { "s\($0 / 10)/u\($0).flac" }
        let (input, output) = try Self.corpus(names)
        let first = try Self.startMelBatch(input, output, outputs: 2)
        #expect(first.isRunning, "the first batch finished before the second started")
        let second = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output])
        #expect(second.status == 1)
        #expect(
            second.stderr == "sluice: error: \(output): another sluice batch (pid \(first.processIdentifier)) is writing into this folder; "
                + "wait for it to finish (or pass --wait-lock), or write into another folder\n")
        // --wait-lock waits for the first run, then finds everything done.
        let waited = try SluiceProcess.run(["batch", input, "--pipeline", "Pipelines/mel.yaml", "--out", output, "--wait-lock"])
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(waited.stderr.hasPrefix("sluice: batch: \(output): waiting for another sluice batch (pid \(first.processIdentifier)) to finish\n"))
        #expect(waited.stderr.contains("\(names.count) already done, 0 to process"))
        // The first run's work is whole: one ok entry per input, every output complete, no temporary file.
        let entries = try Self.manifest(output)
        #expect(entries.count == names.count && Set(entries.map { $0["input"] as! String }) == Set(names))
        #expect(entries.allSatisfy { $0["status"] as? String == "ok" })
        let all = Self.files(output)
        #expect(
            all == ([".sluice-batch.lock", ".sluice-manifest.jsonl"] + names.map { $0.replacingOccurrences(of: ".flac", with: ".npy") }).sorted())
        for name in all where name.hasSuffix(".npy") {
            #expect((try FileManager.default.attributesOfItem(atPath: output + "/" + name)[.size] as? Int) == Self.sampleMelBytes, "\(name)")
        }
    }

    @Test func aReRunWithAnotherPipelineOrOptionsRedoesTheOutputs() throws {
        let (input, output) = try Self.corpus(["x.flac", "y.flac"])
        func batch(_ arguments: [String]) throws -> SluiceProcess.Result {
            let result = try SluiceProcess.run(["batch", input, "--out", output] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            return result
        }
        _ = try batch(["--pipeline", "Pipelines/resample.yaml"])
        #expect(try batch(["--pipeline", "Pipelines/resample.yaml"]).stderr.contains("2 already done, 0 to process"))
        // The same outputs with other options: stale, redone.
        let rate = try batch(["--pipeline", "Pipelines/resample.yaml", "--set", "resample.sample_rate_hz=8000"])
        #expect(rate.stderr.contains("0 already done, 2 to process"))
        #expect(rate.stderr.contains("sluice: batch: 2 inputs done by another pipeline or with other options: redoing them"))
        #expect(try RunCommandTests.decode(output + "/x.wav").rate == 8000)
        // The same options written out as in the file: nothing to do.
        #expect(
            try batch(["--pipeline", "Pipelines/resample.yaml", "--set", "resample.sample_rate_hz=8000", "--set", "resample.channels=1"])
                .stderr.contains("2 already done, 0 to process"))
        // Another pipeline: its outputs are written.
        #expect(try batch(["--pipeline", "Pipelines/mel.yaml"]).stderr.contains("0 already done, 2 to process"))
        #expect(Self.files(output) == [".sluice-batch.lock", ".sluice-manifest.jsonl", "x.npy", "x.wav", "y.npy", "y.wav"])

        // A manifest written before fingerprints: outputs of the same name are kept; --force redoes them.
        let manifest = output + "/.sluice-manifest.jsonl"
        let old = try Self.manifest(output).map { entry -> String in
            var entry = entry
            entry["pipeline"] = nil
            entry["sluice_version"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]), as: UTF8.self)
        }
        try (old.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        let kept = try batch(["--pipeline", "Pipelines/mel.yaml"])
        #expect(kept.stderr.contains("2 already done, 0 to process"))
        #expect(
            kept.stderr.contains(
                "sluice: batch: 2 outputs recorded by an older sluice without a pipeline fingerprint are kept as done; --force redoes every input"))
        #expect(try batch(["--pipeline", "Pipelines/mel.yaml", "--force"]).stderr.contains("0 already done, 2 to process"))
        #expect(try batch(["--pipeline", "Pipelines/mel.yaml"]).stderr.contains("2 already done, 0 to process"))

        // Shards, then an unsharded run with other options: its entries (in a file that sorts
        // first) are the later ones, so a second unsharded run finds everything done.
        for shard in ["1/2", "2/2"] { _ = try batch(["--pipeline", "Pipelines/resample.yaml", "--shard", shard]) }
        #expect(
            try batch(["--pipeline", "Pipelines/resample.yaml", "--set", "resample.sample_rate_hz=8000"]).stderr.contains(
                "0 already done, 2 to process"))
        #expect(
            try batch(["--pipeline", "Pipelines/resample.yaml", "--set", "resample.sample_rate_hz=8000"]).stderr.contains(
                "2 already done, 0 to process"))
    }
}
