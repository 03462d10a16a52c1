import Foundation
import SluiceAudio
import SluiceTestSupport
import Testing

/// `sluice serve` end to end: the built binary on a loopback port, real WebSocket and curl clients
/// (model-backed: tiny.en). Serialized: each test's server gets the machine's cores to itself.
@Suite(.serialized) struct ServeTests {
    static let pipelines = ["--pipeline", "Pipelines/transcribe-stream.yaml", "Pipelines/transcribe.yaml"]

    struct Event: Decodable {
        var type: String
        var lane: String?
        var language: String?
        var text: String?
        var message: String?
        var emitted_at: Double?
    }

    /// Streams `pcm` in 0.25 s messages (no pacing), sends `{"eof":1}`, and returns every event and the close.
    static func stream(port: Int, query: String, pcm: [UInt8], bytesPerSecond: Int) throws -> (events: [Event], close: WebSocketTestClient.Message) {
        let client = try WebSocketTestClient(port: port, path: "/v1/stream?\(query)")
        let chunk = bytesPerSecond / 4
        for start in stride(from: 0, to: pcm.count, by: chunk) { try client.sendBinary(Array(pcm[start..<min(pcm.count, start + chunk)])) }
        try client.sendText("{\"eof\":1}")
        let messages = try client.receiveAll()
        let events = try messages.dropLast().map { message -> Event in
            guard case .text(let text) = message else { throw WebSocketTestClient.Failure(description: "not a text message: \(message)") }
            return try JSONDecoder().decode(Event.self, from: Data(text.utf8))
        }
        return (events, messages.last!)
    }

    static func finalWords(_ events: [Event]) -> [String] {
        SpeechSample.words(events.filter { $0.type == "final" }.compactMap(\.text).joined())
    }

    /// The edit distance between two word sequences.
    static func wordDistance(_ a: [String], _ b: [String]) -> Int {
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for (i, word) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (word == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    @Test(.needsModels("tiny.en")) func concurrentStreamsAndUploadsMatchTheOfflineTranscript() throws {
        let server = try ServerProcess(Self.pipelines + ["--max-sessions", "3"])
        let offline = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(SpeechSample.path)", "-F", "model=whisper-1"])
        #expect(offline.status == 200, "\(offline.body)")
        struct Answer: Decodable {
            struct Usage: Decodable, Equatable {
                var type: String
                var seconds: Int
            }
            var text: String
            var usage: Usage
        }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(offline.body.utf8))
        #expect(answer.usage == Answer.Usage(type: "duration", seconds: 4))  // the 3.3 s sample, rounded up as OpenAI bills
        let reference = SpeechSample.words(answer.text)
        #expect(reference.joined(separator: " ").contains("into you his belly"))

        // Two streams at once: 16 kHz s16le, and 48 kHz f32le (resampled by the server).
        let upsampler = try Resampler(inputRate: 16000, outputRate: 48000, channels: 1)
        let at48k = upsampler.process(SpeechSample.samples) + upsampler.flush()
        let inputs = [
            ("sample_rate=16000&format=s16le", SpeechSample.s16le(SpeechSample.samples), 32000),
            ("sample_rate=48000&format=f32le", SpeechSample.f32le(at48k), 192_000),
        ]
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            let (query, pcm, rate) = inputs[index]
            results.set(index, Result { try Self.stream(port: server.port, query: query, pcm: pcm, bytesPerSecond: rate) })
        }
        for index in inputs.indices {
            let (events, close) = try results.get(index).get()
            #expect(close == .close(code: 1000, reason: ""))
            #expect(events.contains { $0.type == "partial" })
            let words = Self.finalWords(events)
            #expect(Self.wordDistance(words, reference) <= 2, "stream \(inputs[index].0): \(words) vs offline \(reference)")
        }

        // The other response formats of the same endpoint.
        let srt = try server.curl(
            "/v1/audio/transcriptions", ["-F", "file=@\(SpeechSample.path)", "-F", "model=tiny.en", "-F", "response_format=srt"])
        #expect(srt.status == 200)
        #expect(srt.body.hasPrefix("1\n00:00:00,000 --> "))
        let verbose = try server.curl(
            "/v1/audio/transcriptions",
            [
                "-F", "file=@\(SpeechSample.path)", "-F", "model=whisper-1",
                "-F", "response_format=verbose_json", "-F", "timestamp_granularities[]=word",
            ])
        #expect(verbose.status == 200)
        #expect(verbose.body.contains("\"words\":[{\"word\":"))
        #expect(try server.metric("sluice_sessions_total{kind=\"stream\"}") == 2)
        #expect(try server.metric("sluice_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"200\"}") == 3)
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("tiny.en")) func badInputGetsAClearErrorAndTheServerCarriesOn() throws {
        let server = try ServerProcess(Self.pipelines + ["--max-sessions", "1", "--max-upload-mb", "1"])
        // `open`: the stream sessions left open once the server has closed this one. The server frees a session
        // before its close frame, so a client that reconnects at once finds the only session free.
        func errorEvent(query: String, open: Int = 0, send: (WebSocketTestClient) throws -> Void) throws -> (String, WebSocketTestClient.Message) {
            let client = try WebSocketTestClient(port: server.port, path: "/v1/stream?\(query)")
            try send(client)
            let messages = try client.receiveAll()
            #expect(try server.metric("sluice_sessions_active{kind=\"stream\"}") == Double(open))
            guard messages.count == 2, case .text(let text) = messages[0] else { return ("\(messages)", messages.last!) }
            let event = try JSONDecoder().decode(Event.self, from: Data(text.utf8))
            #expect(event.type == "error")
            return (event.message ?? "", messages[1])
        }
        let odd = try errorEvent(query: "format=s16le") { try $0.sendBinary([1, 2, 3]) }
        #expect(odd.0 == "binary message of 3 bytes is not a whole number of s16le samples (2 bytes each)")
        #expect(odd.1 == .close(code: 1003, reason: ""))
        let format = try errorEvent(query: "format=mp3") { _ in }
        #expect(format.0 == "query string: unknown format 'mp3' (expected s16le or f32le)")
        let rate = try errorEvent(query: "sample_rate=-5") { _ in }
        #expect(rate.0.hasPrefix("query string: bad sample_rate '-5'"))
        let text = try errorEvent(query: "") { try $0.sendText("hello") }
        #expect(text.0 == "text message is not JSON: 'hello'")

        // An upload over --max-upload-mb, a body that is not a form, a file that is not audio, a missing field.
        let folder = try SluiceProcess.temporaryFolder()
        let big = folder.appendingPathComponent("big.wav").path
        _ = FileManager.default.createFile(atPath: big, contents: Data(count: 2 << 20))
        let tooLarge = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(big)", "-F", "model=whisper-1"])
        #expect(tooLarge.status == 413)
        #expect(tooLarge.body.contains("\"type\":\"invalid_request_error\""))
        #expect(tooLarge.body.contains("larger than the server's limit of 1 MB"))
        let notForm = try server.curl("/v1/audio/transcriptions", ["-H", "Content-Type: application/json", "-d", "{}"])
        #expect(notForm.status == 415)
        let garbage = folder.appendingPathComponent("noise.wav").path
        _ = FileManager.default.createFile(atPath: garbage, contents: Data((0..<4000).map { UInt8($0 % 251) }))
        let notAudio = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(garbage)", "-F", "model=whisper-1"])
        #expect(notAudio.status == 415)
        #expect(notAudio.body.contains("cannot decode 'noise.wav' as audio"))
        let noModel = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(SpeechSample.path)"])
        #expect(noModel.status == 400)
        #expect(noModel.body.contains("\"param\":\"model\""))
        let translate = try server.curl("/v1/audio/translations", ["-F", "file=@\(SpeechSample.path)", "-F", "model=whisper-1"])
        #expect(translate.status == 400)
        #expect(translate.body.contains("English-only"))

        // One session is the limit: a second stream and an upload are turned away while it is open.
        let holder = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        try holder.sendBinary(SpeechSample.s16le(Array(SpeechSample.samples.prefix(8000))))
        // The holder's session is admitted on the server's side before the second client knocks.
        #expect(try ServerProcess.eventually(20) { try server.metric("sluice_sessions_active{kind=\"stream\"}") == 1 })
        let busy = try errorEvent(query: "", open: 1) { _ in }
        #expect(busy.0.hasPrefix("server busy: all 1 sessions are in use"))
        #expect(busy.1 == .close(code: 1013, reason: ""))
        let refused = try server.curl("/v1/audio/transcriptions", ["-F", "file=@\(SpeechSample.path)", "-F", "model=whisper-1"])
        #expect(refused.status == 429)
        #expect(refused.body.contains("\"code\":\"rate_limit_exceeded\""))
        try holder.sendText("{\"eof\":1}")
        #expect(try holder.receiveAll().last == .close(code: 1000, reason: ""))
        #expect(try server.curl("/healthz").status == 200)
        #expect(try server.metric("sluice_sessions_rejected_total{kind=\"stream\"}") == 1)
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("tiny.en")) func aVanishingFloodingClientIsHeldBackAndFreedWithoutTouchingOthers() throws {
        let server = try ServerProcess(Self.pipelines + ["--max-sessions", "2"])
        // The flooder writes an hour of speech as fast as it can and never reads: its decoder holds it back.
        let flooder = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        let speech = SpeechSample.s16le(SpeechSample.samples)
        let total = 3600 * 32000
        let sent = ByteCount()
        let flooding = DispatchGroup()
        DispatchQueue.global().async(group: flooding) {
            while sent.value < total, (try? flooder.sendBinary(speech)) != nil { sent.add(speech.count) }
        }
        // Meanwhile a well-behaved client streams and gets its transcript.
        let (events, close) = try Self.stream(port: server.port, query: "", pcm: speech, bytesPerSecond: 32000)
        #expect(close == .close(code: 1000, reason: ""))
        #expect(Self.finalWords(events).joined(separator: " ").contains("into you his belly"))
        #expect(sent.value < total / 2, "the flooder was held back: \(sent.value) of \(total) bytes accepted")
        #expect(try server.metric("sluice_sessions_active{kind=\"stream\"}") == 1)
        flooder.abort()
        flooding.wait()
        flooder.disconnect()
        #expect(try ServerProcess.eventually(20) { try server.metric("sluice_sessions_active{kind=\"stream\"}") == 0 })
        #expect(try server.curl("/healthz").status == 200)
        #expect(server.stop() == 0)
    }

    /// A stream open at SIGTERM goes on to its end (the load balancer has taken the instance out by its
    /// `/healthz`): the audio its client sends after the signal is transcribed, and it closes normally.
    @Test(.needsModels("tiny.en")) func sigtermLetsAnOpenStreamFinish() throws {
        let server = try ServerProcess(Self.pipelines)
        let client = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        let pcm = SpeechSample.s16le(SpeechSample.samples)
        let half = pcm.count / 4 * 2
        try client.sendBinary(Array(pcm[..<half]))
        #expect(try ServerProcess.eventually(20) { (try server.metric("sluice_audio_seconds_total{kind=\"stream\"}") ?? 0) > 0 })
        server.process.terminate()
        #expect(try ServerProcess.eventually(20) { try server.curl("/healthz").status == 503 })
        try client.sendBinary(Array(pcm[half...]))
        try client.sendText("{\"eof\":1}")
        let messages = try client.receiveAll()
        #expect(messages.last == .close(code: 1000, reason: ""))
        // The sample's last words ("… his belly counselled him") came after the signal.
        let words = Self.finalWords(Self.events(messages))
        #expect(words.joined(separator: " ").contains("into you his belly"), "\(words)")
        #expect(words.last == "him", "\(words)")
        #expect(server.waitForExit() == 0)
        #expect(server.stderr.contains("all sessions drained"))
    }

    /// A stream still open when the drain timeout passes ends as if its client had sent `{"eof":1}`: the finals
    /// of the audio it sent, then a 1001 close.
    @Test(.needsModels("tiny.en")) func theDrainTimeoutEndsAStreamWithItsFinals() throws {
        let server = try ServerProcess(Self.pipelines + ["--drain-timeout", "1"])
        let client = try WebSocketTestClient(port: server.port, path: "/v1/stream")
        try client.sendBinary(SpeechSample.s16le(SpeechSample.samples))
        // The signal must find the audio (one message) in the session: wait until its decoder has taken some.
        #expect(try ServerProcess.eventually(20) { (try server.metric("sluice_audio_seconds_total{kind=\"stream\"}") ?? 0) > 0 })
        server.process.terminate()
        let messages = try client.receiveAll()
        #expect(messages.last == .close(code: 1001, reason: "server is shutting down"))
        #expect(Self.finalWords(Self.events(messages)).joined(separator: " ").contains("into you his belly"))
        #expect(server.waitForExit() == 0)
        #expect(server.stderr.contains("all sessions drained"))
    }

    /// The events among a stream's messages.
    static func events(_ messages: [WebSocketTestClient.Message]) -> [Event] {
        messages.compactMap { message -> Event? in
            guard case .text(let text) = message else { return nil }
            return try? JSONDecoder().decode(Event.self, from: Data(text.utf8))
        }
    }

    @Test(.needsModels("base")) func servesATranslationStreamThroughItsPipelinesResampling() throws {
        // French speech sent at 48 kHz: the pipeline's audio.resample stage brings it to 16 kHz for simul.translate,
        // whose events come as JSON although the file asks for text. Fixed steps (keep_up: false): the words do
        // not depend on how busy the machine is.
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipeline = folder.appendingPathComponent("translate-fr.yaml")
        try Data(
            """
            version: 1
            input: { type: audio, path: "-" }
            stages:
              - { id: resample, type: audio.resample, sample_rate_hz: 16000, channels: 1 }
              - { id: translate, type: simul.translate, model: base, language: fr, source_lane: true, keep_up: false, format: txt }
            output: { type: text, path: "-" }
            """.utf8
        ).write(to: pipeline)
        let server = try ServerProcess(["--pipeline", pipeline.path])
        let upsampler = try Resampler(inputRate: 16000, outputRate: 48000, channels: 1)
        let french = SpeechSample.read("Samples/speech-fr.wav")
        let at48k = upsampler.process(french) + upsampler.flush()
        let (events, close) = try Self.stream(
            port: server.port, query: "sample_rate=48000&format=s16le", pcm: SpeechSample.s16le(at48k),
            bytesPerSecond: 96_000)
        #expect(close == .close(code: 1000, reason: ""))
        func written(_ lane: String) -> [String] {
            SpeechSample.words(events.filter { $0.lane == lane && $0.type == "final" }.compactMap(\.text).joined())
        }
        #expect(written("target").contains("annie"), "\(events)")
        #expect(written("source").contains("parole"), "\(events)")
        #expect(events.allSatisfy { $0.language == "fr" })
        #expect(try server.metric("sluice_sessions_total{kind=\"stream\"}") == 1)
        #expect(server.stop() == 0)
    }

    @Test func configurationErrors() throws {
        let noWhisper = try SluiceProcess.run(["serve", "--pipeline", "Pipelines/resample.yaml"])
        #expect(noWhisper.status == 78)
        #expect(
            noWhisper.stderr.contains(
                "Pipelines/resample.yaml:1:1: error: sluice serve needs exactly one whisper.stream, simul.translate or whisper.transcribe stage"))
        #expect(try SluiceProcess.run(["serve", "--model", "tiny.en", "--pipeline", "Pipelines/transcribe.yaml"]).status == 64)
        #expect(try SluiceProcess.run(["serve", "--pipeline", "Pipelines/transcribe.yaml", "--max-sessions", "0"]).status == 64)
    }
}

/// Results written by concurrent clients.
final class Results: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var values: [Int: Result<(events: [ServeTests.Event], close: WebSocketTestClient.Message), any Error>] = [:]

    func set(_ index: Int, _ value: Result<(events: [ServeTests.Event], close: WebSocketTestClient.Message), any Error>) {
        lock.withLock { values[index] = value }
    }

    func get(_ index: Int) -> Result<(events: [ServeTests.Event], close: WebSocketTestClient.Message), any Error> {
        lock.withLock { values[index]! }
    }
}

/// Bytes a writer thread has sent.
final class ByteCount: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var count = 0

    func add(_ bytes: Int) { lock.withLock { count += bytes } }
    var value: Int { lock.withLock { count } }
}
