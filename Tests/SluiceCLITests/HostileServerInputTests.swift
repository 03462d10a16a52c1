import Foundation
import SluiceTestSupport
import Testing

/// `sluice serve` against hostile clients, end to end: malformed heads, partial and idle connections, a
/// connection flood under a small open-file limit, a burst of large uploads. Each bad input must get its
/// answer (400, 408, 503, 429) or its close within bounds, while real streams, uploads and `/healthz` carry on.
@Suite(.serialized) struct HostileServerInputTests {
    /// A server with short timeouts, so that the test sees them expire.
    static let timeouts = ["--header-timeout", "2", "--idle-timeout", "3", "--stream-idle-timeout", "2"]

    /// `connection` read to its close, with the seconds it took from `start`.
    /// How a connection left to time out ended: what it read, whether the server closed it, and when.
    final class Ending: @unchecked Sendable {  // written once by the reading thread before `done` leaves
        private let done = DispatchGroup()
        private var outcome: (text: String, closed: Bool, after: Double) = ("", false, .infinity)

        /// Reads `connection` on another thread from now until the server closes it (at most `seconds` after
        /// `start`), so the close is timed when it happens, however long the test's other requests take.
        init(_ connection: RawHTTPConnection, start: Date, within seconds: Double) {
            DispatchQueue.global().async(group: done) { [self] in
                let (text, closed) = connection.readUntilClosed(within: seconds - Date().timeIntervalSince(start))
                outcome = (text, closed, Date().timeIntervalSince(start))
            }
        }

        var result: (text: String, closed: Bool, after: Double) {
            done.wait()
            return outcome
        }
    }

    @Test(.needsModels("tiny.en")) func badRequestsAreAnsweredAndClosedWhileAStreamCarriesOn() throws {
        let server = try ServerProcess(ServeTests.pipelines + ["--max-sessions", "4"] + Self.timeouts)

        // A stream of f32le speech with one finite sample far outside [-1, 1]: clipped, counted, transcribed.
        var samples = SpeechSample.samples
        samples[samples.count / 2] = 3e38
        let spiked = SpeechSample.f32le(samples)
        let streamed = Results()
        let streaming = DispatchGroup()
        DispatchQueue.global().async(group: streaming) {
            streamed.set(
                0,
                Result {
                    try ServeTests.stream(
                        port: server.port, query: "format=f32le", pcm: spiked,
                        bytesPerSecond: 64000)
                })
        }

        // Connections left to time out, all at once: a partial head, nothing at all, a kept-alive connection
        // after one request, a body that stops, a stream that sends nothing.
        let start = Date()
        let partial = try RawHTTPConnection(port: server.port)
        partial.send("GET /heal")
        let silent = try RawHTTPConnection(port: server.port)
        let keptAlive = try RawHTTPConnection(port: server.port)
        keptAlive.send("GET /healthz HTTP/1.1\r\nHost: sluice\r\n\r\n")
        #expect(keptAlive.readHead(within: 5).hasPrefix("HTTP/1.1 200"))
        let stalled = try RawHTTPConnection(port: server.port)
        stalled.send(
            "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: sluice\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                + "Content-Length: 100000\r\n\r\n--x\r\n")
        let quietStream = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        let endings = (
            head: Ending(partial, start: start, within: 12), idle: Ending(silent, start: start, within: 12),
            keepAlive: Ending(keptAlive, start: start, within: 12), body: Ending(stalled, start: start, within: 12)
        )

        // Heads that cannot be parsed: each gets 400 and a close, at once.
        let tlsHello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03] + (0..<160).map { UInt8($0 & 0xFF) }
        let malformed: [(String, [UInt8])] = [
            ("Content-Length: -1", Array("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: sluice\r\nContent-Length: -1\r\n\r\n".utf8)),
            (
                "an overflowing Content-Length",
                Array("POST /healthz HTTP/1.1\r\nHost: sluice\r\nContent-Length: 99999999999999999999999\r\n\r\n".utf8)
            ),
            (
                "a 1 MB header line",
                Array(("GET /healthz HTTP/1.1\r\nHost: sluice\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n").utf8)
            ),
            ("100 000 headers", Array(("GET /healthz HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 100_000) + "\r\n").utf8)),
            ("TLS bytes", tlsHello),
        ]
        for (name, bytes) in malformed {
            let connection = try RawHTTPConnection(port: server.port)
            let began = Date()
            connection.send(bytes)
            connection.finishSending()
            let answer = Ending(connection, start: began, within: 10).result
            #expect(answer.text.hasPrefix("HTTP/1.1 400 Bad Request"), "\(name): \(answer.text.prefix(200))")
            #expect(answer.text.contains("malformed HTTP request"), "\(name): \(answer.text.prefix(300))")
            #expect(answer.closed && answer.after < 5, "\(name): closed \(answer.closed) after \(answer.after) s")
            #expect(try server.curl("/healthz", ["--max-time", "5"]).status == 200, "after \(name)")
        }

        // An upload that is not audio: the 415 names the client's file, never the server's temporary path.
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("noise.bin").path
        _ = FileManager.default.createFile(atPath: garbage, contents: Data((0..<4000).map { UInt8($0 % 251) }))
        let notAudio = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(garbage)", "-F", "model=whisper-1"])
        #expect(notAudio.status == 415)
        #expect(notAudio.body.contains("cannot decode 'noise.bin' as audio"), "\(notAudio.body)")
        #expect(!notAudio.body.contains("sluice-upload-") && !notAudio.body.contains(NSTemporaryDirectory()), "\(notAudio.body)")

        // Float WAV uploads with one hostile sample (a 3e38 one took the whole server down): clipped and
        // transcribed, or refused naming the sample.
        let spike = try HostileInputTests.floatWav(in: folder, name: "spike.wav", value: 3e38)
        let clipped = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(spike)", "-F", "model=whisper-1"])
        #expect(clipped.status == 200 && clipped.body.contains("belly"), "\(clipped.body)")
        let nan = try HostileInputTests.floatWav(in: folder, name: "nan.wav", value: .nan)
        let refused = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(nan)", "-F", "model=whisper-1"])
        #expect(refused.status == 415 && refused.body.contains("nan.wav: sample ") && refused.body.contains(" is nan"), "\(refused.body)")

        // The timed-out connections: 408 for the partial head, a plain close for the others, each in its time.
        let headTimeout = endings.head.result
        #expect(headTimeout.text.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(headTimeout.text)")
        #expect(headTimeout.closed && headTimeout.after >= 1.9 && headTimeout.after < 6, "partial head closed after \(headTimeout.after) s")
        let idle = endings.idle.result
        #expect(idle.text.isEmpty && idle.closed && idle.after < 6, "silent connection: \(idle)")
        let keepAlive = endings.keepAlive.result
        #expect(keepAlive.closed && keepAlive.after >= 2.9 && keepAlive.after < 7, "kept-alive connection closed after \(keepAlive.after) s")
        let body = endings.body.result
        #expect(body.closed && body.after >= 2.9 && body.after < 7, "stalled body closed after \(body.after) s")
        let quiet = try quietStream.receiveAll()
        #expect(quiet.last == .close(code: 1008, reason: ""))
        if case .text(let text) = quiet.first { #expect(text.contains("no message from the client for 2 s")) }

        // The stream got its words, and everything was counted.
        streaming.wait()
        let (events, close) = try streamed.get(0).get()
        #expect(close == .close(code: 1000, reason: ""))
        #expect(ServeTests.finalWords(events).joined(separator: " ").contains("into you his belly"), "\(ServeTests.finalWords(events))")
        #expect(try server.metric("sluice_samples_clipped_total") == 2)  // the stream's sample and the upload's
        let malformedCount = try server.metric("sluice_connections_closed_total{reason=\"malformed\"}")
        #expect(malformedCount == Double(malformed.count))
        #expect(try server.metric("sluice_connections_closed_total{reason=\"header_timeout\"}") == 2)
        #expect(try server.metric("sluice_connections_closed_total{reason=\"idle_timeout\"}") == 1)
        #expect(try server.metric("sluice_connections_closed_total{reason=\"body_timeout\"}") == 1)
        #expect(try server.metric("sluice_connections_closed_total{reason=\"stream_idle_timeout\"}") == 1)
        #expect(try ServerProcess.eventually(5) { try server.metric("sluice_sessions_active{kind=\"transcription\"}") == 0 })
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("tiny.en")) func aConnectionFloodUnderASmallOpenFileLimitLeavesHealthzAnswering() throws {
        let server = try ServerProcess(ServeTests.pipelines + ["--header-timeout", "30", "--idle-timeout", "2"], openFileLimit: 256)
        let cap = try #require(Self.loweredCap(server.stderr), "the cap is lowered to fit ulimit -n 256: \(server.stderr)")
        #expect(cap == 256 - 64)

        // 400 idle connections, each with a partial head: the oldest make room for the newest, /healthz answers.
        var idle: [RawHTTPConnection] = []
        for _ in 0..<400 {
            let connection = try RawHTTPConnection(port: server.port)
            connection.send("GET /heal")
            idle.append(connection)
        }
        let began = Date()
        #expect(try server.curl("/healthz", ["--max-time", "5"]).status == 200)
        #expect(Date().timeIntervalSince(began) < 2)
        #expect(try server.metric("sluice_connections_closed_total{reason=\"evicted\"}")! >= Double(400 - cap))
        #expect(try server.metric("sluice_connections_open")! <= Double(cap))
        idle.removeAll()

        // Every connection busy (request bodies still arriving): one more is answered 503 and closed; once the
        // bodies time out, the server answers again.
        var busy: [RawHTTPConnection] = []
        for _ in 0..<cap {
            let connection = try RawHTTPConnection(port: server.port)
            connection.send("POST /nowhere HTTP/1.1\r\nHost: sluice\r\nContent-Length: 100000\r\n\r\n0123456789")
            #expect(connection.readHead(within: 5).hasPrefix("HTTP/1.1 404"))
            busy.append(connection)
        }
        let extra = try RawHTTPConnection(port: server.port)
        let refused = extra.readUntilClosed(within: 3)
        #expect(refused.text.hasPrefix("HTTP/1.1 503 Service Unavailable"), "\(refused.text)")
        #expect(refused.closed)
        #expect(ServerProcess.eventually(8) { (try? server.curl("/healthz", ["--max-time", "2"]).status) == 200 })
        #expect(try server.metric("sluice_connections_closed_total{reason=\"refused\"}")! >= 1)
        #expect(try ServerProcess.eventually(8) { try server.metric("sluice_connections_closed_total{reason=\"body_timeout\"}")! >= Double(cap) })
        busy.removeAll()
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("tiny.en")) func uploadsPastTheSessionLimitAreRefusedBeforeTheirBodiesAreHeld() throws {
        let server = try ServerProcess(ServeTests.pipelines + ["--max-sessions", "1"])
        let holder = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        try holder.sendBinary(SpeechSample.s16le(Array(SpeechSample.samples.prefix(8000))))
        #expect(try ServerProcess.eventually(20) { try server.metric("sluice_sessions_active{kind=\"stream\"}") == 1 })

        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.wav").path
        _ = FileManager.default.createFile(atPath: big, contents: Data(count: 24 << 20))
        let pid = server.process.processIdentifier
        try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)  // peak RSS := RSS now
        let before = try Self.residentMegabytes(pid)
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let answer = try? server.curl("/v1/audio/transcriptions", ["-H", "Expect:", "-F", "file=@\(big)", "-F", "model=whisper-1"])
            statuses.set(index, answer?.status ?? -1)
        }
        #expect(statuses.all == Array(repeating: 429, count: 8))
        let peak = try Self.residentMegabytes(pid, field: "VmHWM:")
        #expect(peak - before < 96, "8 uploads of 24 MB raised the server's peak RSS from \(before) to \(peak) MB")

        try holder.sendText("{\"eof\":1}")
        #expect(try holder.receiveAll().last == .close(code: 1000, reason: ""))
        #expect(try server.curl("/healthz").status == 200)
        #expect(server.stop() == 0)
    }

    @Test func limitsThatDoNotFitAreUsageErrors() throws {
        for (flag, value, message) in [
            ("--max-upload-mb", "9000000000000", "--max-upload-mb must be in 1...2048"),
            ("--max-upload-mb", "-1", "--max-upload-mb must be in 1...2048"),
            ("--max-connections", "0", "--max-connections must be in 1..."),
            ("--header-timeout", "nan", "--header-timeout must be a number of seconds"),
            ("--idle-timeout", "0", "--idle-timeout must be a number of seconds"),
            ("--drain-timeout", "1e300", "--drain-timeout must be a number of seconds"),
            ("--stream-idle-timeout", "-5", "--stream-idle-timeout must be a number of seconds"),
        ] {
            let result = try SluiceProcess.run(["serve", "--pipeline", "Pipelines/transcribe.yaml", flag + "=" + value])
            #expect(result.status == 64, "\(flag) \(value)")
            #expect(result.stderr.contains(message), "\(flag) \(value): \(result.stderr)")
        }
    }

    /// The cap `sluice serve` reports when it lowers `--max-connections` to fit the open-file limit.
    static func loweredCap(_ log: String) -> Int? {
        guard let range = log.range(of: "lowered to ") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    /// The process's resident set (or another `/proc/PID/status` field in kB), in MB.
    static func residentMegabytes(_ pid: Int32, field: String = "VmRSS:") throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(field) })
        let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Double($0) }
        return try #require(kilobytes, "\(line)") / 1024
    }
}

/// HTTP statuses written by concurrent clients.
private final class Statuses: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var values: [Int: Int] = [:]

    func set(_ index: Int, _ status: Int) { lock.withLock { values[index] = status } }
    var all: [Int] { lock.withLock { values.keys.sorted().map { values[$0]! } } }
}
