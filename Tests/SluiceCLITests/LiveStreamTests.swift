import Foundation
import SluiceAudio
import Testing

/// Live behaviour end to end: signals drain, and a slow reader holds the whole chain back.
@Suite(.serialized) struct LiveStreamTests {
    /// Counters shared between the feeding/draining threads and the test.
    final class Counters: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var written = 0
        private var read = 0
        private var stop = false

        func addWritten(_ count: Int) { lock.withLock { written += count } }
        func addRead(_ count: Int) { lock.withLock { read += count } }
        func requestStop() { lock.withLock { stop = true } }
        var snapshot: (written: Int, read: Int, stop: Bool) { lock.withLock { (written, read, stop) } }
    }

    static func startSluice(_ arguments: [String], stdout: Any) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = SluiceProcess.packageRoot
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, input)
    }

    /// Writes `seconds` of a 440 Hz tone as s16le at `rate` Hz with `channels` channels.
    static func tone(seconds: Double, rate: Int, channels: Int, from start: Int = 0) -> Data {
        var data = Data(capacity: Int(seconds * Double(rate)) * channels * 2)
        for i in start..<(start + Int(seconds * Double(rate))) {
            let value = Int16(sin(Double(i) * 2 * .pi * 440 / Double(rate)) * 8000).littleEndian
            for _ in 0..<channels { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        }
        return data
    }

    @Test func sigintDrainsAndCompletesTheOutput() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let output = folder.appendingPathComponent("live.wav").path
        let (process, input) = try Self.startSluice(
            [
                "run", "Pipelines/resample.yaml", "-i", "-", "-o", output, "--set", "input.format=s16le",
                "--set", "input.sample_rate_hz=32000",
            ],
            stdout: FileHandle.nullDevice)
        // One second of audio, then the writer stays open like a microphone that keeps going.
        try input.fileHandleForWriting.write(contentsOf: Self.tone(seconds: 1, rate: 32000, channels: 1))
        // The signal must find the second inside Sluice: wait until it has read the pipe empty (its handlers are
        // installed before it reads).
        #expect(Self.waitUntil { Self.unread(input.fileHandleForWriting) == 0 }, "sluice did not read its input")
        process.interrupt()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 0)
        let decoder = try AudioDecoder(path: output)
        var buffer: [Float] = []
        var frames = 0
        while case let n = try decoder.read(into: &buffer, maxFrames: 4096), n > 0 { frames += n }
        #expect(decoder.sampleRate == 16000)
        #expect(frames == 16000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["live.wav"])
    }

    /// A drain that cannot finish (nobody reads stdout, so the sink is stuck in a write): a second SIGINT cancels
    /// it; with one signal, the drain deadline does. Either way the run fails (exit 1) and says why.
    @Test(arguments: [true, false]) func aDrainThatCannotFinishIsCancelledByASecondSignalOrTheDeadline(secondSignal: Bool) throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("tone.s16le").path
        let errors = folder.appendingPathComponent("stderr").path
        #expect(FileManager.default.createFile(atPath: input, contents: Self.tone(seconds: 20, rate: 32000, channels: 1)))
        #expect(FileManager.default.createFile(atPath: errors, contents: nil))
        let output = Pipe()
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = [
            "run", "Pipelines/resample.yaml", "-i", input, "-o", "-", "--set", "input.format=s16le",
            "--set", "input.sample_rate_hz=32000", "--drain-timeout", secondSignal ? "60" : "0.5",
        ]
        process.currentDirectoryURL = SluiceProcess.packageRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        defer { try? output.fileHandleForReading.close() }
        let stderr = { String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self) }

        #expect(Self.waitUntil { Self.unread(output.fileHandleForReading) >= 32768 }, "sluice wrote no output")
        process.interrupt()
        #expect(Self.waitUntil { stderr().contains("sluice: SIGINT: draining (a second signal cancels)") }, "\(stderr())")
        if secondSignal { process.interrupt() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(
            stderr().contains(secondSignal ? "sluice: SIGINT again: cancelling" : "sluice: drain deadline of 0.5 s passed: cancelling"),
            "\(stderr())")
    }

    /// Bytes written to a pipe and not yet read, through `end`, the end of it this process holds open (FIONREAD
    /// works on either end; `Process` closes the child's end of a `Pipe` here once it starts).
    static func unread(_ end: FileHandle) -> Int {
        var count: Int32 = 0
        return ioctl(end.fileDescriptor, UInt(FIONREAD), &count) == 0 ? Int(count) : -1
    }

    /// Polls `condition` until it holds (true) or 30 s pass (false).
    static func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    /// An endless WAV on stdin, a reader that drains stdout slowly: the writer is held back (the queues
    /// and pipes stay at their bounds) and the process's memory stays flat.
    @Test func slowReaderHoldsBackAnEndlessInputWithFlatMemory() throws {
        let output = Pipe()
        let (process, input) = try Self.startSluice(
            ["run", "Pipelines/resample.yaml", "-i", "-", "-o", "-"], stdout: output)
        let counters = Counters()
        let writerHandle = input.fileHandleForWriting
        let writer = Thread {
            // A streaming WAV header (sizes unknown, as sox and ffmpeg write to pipes): 44.1 kHz stereo s16.
            var header = Data("RIFF".utf8) + Data([0xFF, 0xFF, 0xFF, 0xFF]) + Data("WAVEfmt ".utf8)
            for (value, size) in [(16, 4), (1, 2), (2, 2), (44100, 4), (44100 * 4, 4), (4, 2), (16, 2)] {
                withUnsafeBytes(of: UInt32(value).littleEndian) { header.append(contentsOf: $0.prefix(size)) }
            }
            header += Data("data".utf8) + Data([0xFF, 0xFF, 0xFF, 0xFF])
            try? writerHandle.write(contentsOf: header)
            var start = 0
            while !counters.snapshot.stop {
                let chunk = LiveStreamTests.tone(seconds: 0.1, rate: 44100, channels: 2, from: start)
                start += 4410
                guard (try? writerHandle.write(contentsOf: chunk)) != nil else { break }
                counters.addWritten(chunk.count)
            }
            try? writerHandle.close()
        }
        let readerHandle = output.fileHandleForReading
        let reader = Thread {
            // Reads to the end: after the writer stops, Sluice drains what it holds and exits.
            while true {
                let data = readerHandle.readData(ofLength: 8192)
                if data.isEmpty { break }
                counters.addRead(data.count)
                Thread.sleep(forTimeInterval: 0.02)  // about 400 KB/s: far slower than Sluice can go
            }
        }
        writer.start()
        reader.start()
        Thread.sleep(forTimeInterval: 1.5)

        var rss: [Int] = []
        var lead: [Double] = []
        for _ in 0..<8 {
            Thread.sleep(forTimeInterval: 0.25)
            rss.append(Self.residentBytes(of: process.processIdentifier))
            let snapshot = counters.snapshot
            // Input bytes per output byte: (44100 × 4) / (16000 × 2).
            lead.append(Double(snapshot.written) - Double(snapshot.read) * 5.5125)
        }
        counters.requestStop()
        process.waitUntilExit()
        while writer.isExecuting || reader.isExecuting { Thread.sleep(forTimeInterval: 0.01) }

        #expect(process.terminationStatus == 0)
        #expect(counters.snapshot.read > 500_000, "the reader got too little: \(counters.snapshot.read) bytes")
        #expect(rss.max()! - rss.min()! < 2 << 20, "RSS moved: \(rss)")
        #expect(rss.max()! < 150 << 20, "RSS too high: \(rss)")
        // The writer stays a bounded distance ahead of the reader: pipes plus the engine's queues.
        #expect(lead.allSatisfy { $0 < 3_000_000 }, "the writer ran ahead: \(lead)")
    }

    static func residentBytes(of pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}
