import Foundation
import SluiceAudio
import Testing

/// `sluice run` end to end on real files and pipes.
@Suite struct RunCommandTests {
    static let sample = "Samples/1089-134686-0001.flac"
    static let sampleFrames = 52_400  // 3.275 s at 16 kHz

    /// Decodes a whole audio file with the project's decoder.
    static func decode(_ path: String) throws -> (rate: Int, channels: Int, samples: [Float]) {
        let decoder = try AudioDecoder(path: path)
        var all: [Float] = []
        var buffer: [Float] = []
        while true {
            let frames = try decoder.read(into: &buffer, maxFrames: 8192)
            if frames == 0 { break }
            all.append(contentsOf: buffer[0..<(frames * decoder.channels)])
        }
        return (decoder.sampleRate, decoder.channels, all)
    }

    @Test func resampleFileToFile() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let result = try SluiceProcess.run([
            "run", "Pipelines/resample.yaml", "-i", Self.sample, "-o", output, "--set", "resample.sample_rate_hz=8000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let decoded = try Self.decode(output)
        #expect(decoded.rate == 8000)
        #expect(decoded.channels == 1)
        #expect(decoded.samples.count == Self.sampleFrames / 2)
        // Nothing but the output is left in the folder (no temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.wav"])
    }

    @Test func stdinPipeToStdoutWav() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("piped.wav").path
        // A real pipe: FLAC on a non-seekable stdin, WAV on a non-seekable stdout.
        let status = try SluiceProcess.shell(
            "cat \(Self.sample) | '\(SluiceProcess.executable.path)' run Pipelines/resample.yaml -i - -o - | cat > '\(output)'")
        #expect(status == 0)
        let piped = try Self.decode(output)
        #expect(piped.rate == 16000 && piped.channels == 1)
        let direct = try Self.decode(Self.sample)
        #expect(piped.samples.count == direct.samples.count)
        // 16 kHz in and out: the samples pass through, quantised to 16 bits once.
        let maxError = zip(piped.samples, direct.samples).map { abs($0 - $1) }.max() ?? 1
        #expect(maxError <= 1.0 / 32768 + 1e-6)
    }

    @Test func melPipelineWritesNpyWithReferenceShape() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("mel.npy").path
        let result = try SluiceProcess.run(["run", "Pipelines/mel.yaml", "-i", Self.sample, "-o", output, "--stats"])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try #require(FileManager.default.contents(atPath: output))
        let header = String(decoding: data[10..<128], as: UTF8.self)
        #expect(header.contains("'shape': (\(Self.sampleFrames / 160), 80)"))
        #expect(data.count == 128 + Self.sampleFrames / 160 * 80 * 4)
        let values = data[128...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        // Normalised log-mel: the maximum maps to (max + 4) / 4 and the floor is 2 below it.
        let top = values.max()!, bottom = values.min()!
        #expect(top - bottom <= 2.0 + 1e-5)
        #expect(top > 0.5 && top < 2.5)
        // --stats prints one row per stage on stderr.
        for id in ["input", "resample", "mel", "output"] {
            #expect(result.stderr.contains("\n\(id) "), "no stats row for \(id)")
        }
    }

    @Test func rawPCMOnStdin() throws {
        // 0.5 s of 48 kHz stereo s16le.
        var bytes = Data()
        for i in 0..<24_000 {
            let value = Int16(sin(Double(i) * 2 * .pi * 440 / 48_000) * 8000)
            for _ in 0..<2 { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        let result = try SluiceProcess.run(
            [
                "run", "Pipelines/resample.yaml", "-i", "-", "-o", "-", "--set", "input.format=s16le",
                "--set", "input.sample_rate_hz=48000", "--set", "input.channels=2",
            ],
            stdin: bytes)
        #expect(result.status == 0, "\(result.stderr)")
        // 44-byte header + 8000 frames of 16-bit mono.
        #expect(result.stdout.count == 44 + 8000 * 2)
    }

    @Test(arguments: [
        ("Samples/nile.csv", "Samples/nile.csv"),
        ("Samples/no-such-file.wav", "Samples/no-such-file.wav"),
    ])
    func unreadableInputFailsWithoutOutput(input: String, named: String) throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let result = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "-i", input, "-o", output])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("sluice: error: stage 'input' (audio): "))
        #expect(result.stderr.contains(named))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func truncatedWavFailsAndLeavesNoOutput() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let full = folder.appendingPathComponent("full.wav").path
        #expect(try SluiceProcess.run(["run", "Pipelines/resample.yaml", "-i", Self.sample, "-o", full]).status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: full))
        let truncated = folder.appendingPathComponent("cut.wav").path
        _ = FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2))
        let output = folder.appendingPathComponent("out.wav").path
        let result = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "-i", truncated, "-o", output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cut.wav"))
        #expect(result.stderr.contains("truncated"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func truncatedFlacOnStdinFails() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("out.wav").path
        let flac = try #require(FileManager.default.contents(atPath: SluiceProcess.packageRoot.appendingPathComponent(Self.sample).path))
        let result = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "-i", "-", "-o", output], stdin: flac.prefix(30000))
        #expect(result.status == 1)
        #expect(result.stderr == "sluice: error: stage 'input' (audio): stdin: truncated at sample 20480 of 52400 the header declares\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func emptyStdinFails() throws {
        let result = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "-i", "-", "-o", "-"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("stdin"))
        #expect(result.stdout.isEmpty)
    }

    @Test func rawInputWithPartialFrameFails() throws {
        let result = try SluiceProcess.run(
            [
                "run", "Pipelines/resample.yaml", "-i", "-", "-o", "-", "--set", "input.format=s16le",
                "--set", "input.sample_rate_hz=16000",
            ],
            stdin: Data([1, 2, 3]))
        #expect(result.status == 1)
        #expect(result.stderr.contains("stdin"))
    }

    @Test func usageAndConfigurationExitCodes() throws {
        #expect(try SluiceProcess.run(["run"]).status == 64)
        #expect(try SluiceProcess.run(["run", "Pipelines/resample.yaml", "--set", "nodot"]).status == 64)
        let unknown = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "--set", "resample.rate=8000"])
        #expect(unknown.status == 78)
        #expect(unknown.stderr == "--set resample.rate=8000: error: stage 'resample': unknown option 'rate'\n")
        let badType = try SluiceProcess.run(["run", "Pipelines/resample.yaml", "--set", "nope.gain_db=3"])
        #expect(badType.status == 78)
        #expect(badType.stderr == "--set nope.gain_db=3: error: no stage with id 'nope'\n")
    }

    @Test func stagesListAndDescribe() throws {
        let list = try SluiceProcess.run(["stages"])
        #expect(list.status == 0)
        for type in ["audio.resample", "audio.gain", "audio.mix", "whisper.log_mel", "npy"] {
            #expect(list.stdoutText.contains(type))
        }
        let describe = try SluiceProcess.run(["stages", "--describe", "audio.resample"])
        #expect(describe.status == 0)
        #expect(describe.stdoutText.contains("sample_rate_hz: integer in 1000...768000 (required) — output sample rate"))
        let unknown = try SluiceProcess.run(["stages", "--describe", "audio.nope"])
        #expect(unknown.status == 64)
    }

    @Test func realtimePacesTheInputAtOneTimesRealTime() throws {
        // One second of raw 16 kHz audio: paced at 1x the run takes about a second.
        let samples = (0..<16_000).map { Float(sin(Double($0) * 0.1) * 0.5) }
        let started = Date()
        let result = try SluiceProcess.run(
            [
                "run", "Pipelines/resample.yaml", "-i", "-", "-o", "-", "--realtime", "--set", "input.format=f32le",
                "--set", "input.sample_rate_hz=16000", "--set", "input.packet_frames=1600",
            ],
            stdin: samples.withUnsafeBytes { Data($0) })
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.count == 44 + 16_000 * 2)
        #expect(elapsed >= 0.95, "finished in \(elapsed) s")
    }

    @Test func fanOutAndFanInPipeline() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let pipeline = folder.appendingPathComponent("mix.yaml").path
        try """
        input: { type: audio }
        stages:
          - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
          - { id: dry, type: audio.gain, gain_db: 0, inputs: [resample] }
          - { id: quiet, type: audio.gain, gain_db: -6.0206, inputs: [resample], queue: { max_packets: 2 } }
          - { id: mix, type: audio.mix, inputs: [dry, quiet] }
        output: { type: audio, sample_format: f32 }
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("mixed.wav").path
        let result = try SluiceProcess.run(["run", pipeline, "-i", Self.sample, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let mixed = try Self.decode(output).samples
        let original = try Self.decode(Self.sample).samples
        // (x + x/2) / 2 = 0.75 x, sample for sample.
        #expect(mixed.count == original.count)
        let maxError = zip(mixed, original).map { abs($0 - 0.75 * $1) }.max() ?? 1
        #expect(maxError < 1e-5)
    }
}
