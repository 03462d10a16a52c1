import Foundation
import SluiceTestSupport
import Testing

/// `sluice serve` as people deploy it, end to end on a real port: the built-in pipelines (no `--pipeline`),
/// OpenAI's official Python SDK (in the venv `Scripts/test` installs; Tests/Tools/check_openai_sdk.py), API
/// keys on every `/v1/` route and the WebSocket, CORS, the JSON request log and the `process_*` metrics.
/// Model-backed: tiny.en.
@Suite(.serialized, .needsModels("tiny.en")) struct ServeAccessTests {
    static let keys = ["sk-first-9f2c", "sk-second-41ab"]
    static let origin = "https://captions.example.org"

    /// A server on the built-in pipelines, with the two keys from the environment, one allowed origin and JSON logs.
    static func server() throws -> ServerProcess {
        try ServerProcess(
            ["--cors-origin", origin, "--log-format", "json"], environment: ["SLUICE_API_KEYS": keys.joined(separator: " , ")])
    }

    @Test func theOpenAISDKStreamsATranscriptionAndListsModels() throws {
        guard FileManager.default.isExecutableFile(atPath: SubtitleParsersTests.python) else {
            if TestModels.required { Issue.record("no \(SubtitleParsersTests.python): Scripts/test installs the openai SDK") }
            return
        }
        let server = try Self.server()
        let check = try SluiceProcess.run(
            [
                SluiceProcess.packageRoot.appendingPathComponent("Tests/Tools/check_openai_sdk.py").path,
                "http://127.0.0.1:\(server.port)", Self.keys[1], SpeechSample.path,
            ], program: URL(fileURLWithPath: SubtitleParsersTests.python))
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderr)\n\(server.stderr)")
        struct Report: Decodable {
            var text: String
            var deltas: Int
            var models: [String]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(check.stdoutText.utf8))
        #expect(SpeechSample.words(report.text).joined(separator: " ").contains("into you his belly"), "\(report.text)")
        #expect(report.deltas >= 1)
        #expect(report.models == ["whisper-1", "tiny.en"])

        // One JSON line per request, none with a key in it.
        #expect(server.stop() == 0)
        let lines = Self.requestLines(server.stderr)
        let posts = lines.filter { $0["path"] as? String == "/v1/audio/transcriptions" }
        #expect(posts.count == 2)
        for line in posts {
            #expect(line["method"] as? String == "POST" && line["status"] as? Int == 200, "\(line)")
            #expect((line["bytes"] as? Int ?? 0) > 0 && line["duration_s"] is Double, "\(line)")
            #expect(line["client"] as? String == "127.0.0.1" && (line["session"] as? String)?.count == 16, "\(line)")
        }
        #expect(lines.contains { $0["path"] as? String == "/v1/models" && $0["status"] as? Int == 401 })
        for key in Self.keys { #expect(!server.stderr.contains(key)) }
    }

    @Test func keysGuardEveryV1RouteAndTheStreamWhileHealthAndMetricsStayOpen() throws {
        let server = try Self.server()
        let upload = ["-F", "file=@\(SpeechSample.path)", "-F", "model=whisper-1", "-F", "response_format=text"]
        let routes: [(path: String, arguments: [String], status: Int)] = [
            ("/v1/models", [], 200), ("/v1/models/whisper-1", [], 200), ("/v1/models/nothing", [], 404),
            ("/v1/audio/transcriptions", upload, 200),
            ("/v1/audio/translations", upload, 400),  // tiny.en is English-only: refused once let in
        ]
        for route in routes {
            for wrong in [[], ["-H", "Authorization: Bearer sk-first-9f2"], ["-H", "Authorization: Basic \(Self.keys[0])"]] {
                let refused = try server.curl(route.path, wrong + route.arguments)
                #expect(refused.status == 401, "\(route.path) \(wrong): \(refused.body)")
                #expect(refused.body.contains(#""code":"invalid_api_key""#) && refused.body.contains(#""type":"invalid_request_error""#))
                #expect(!refused.body.contains("sk-"))
            }
            let admitted = try server.curl(route.path, ["-H", "Authorization: Bearer \(Self.keys[0])"] + route.arguments)
            #expect(admitted.status == route.status, "\(route.path): \(admitted.body)")
        }
        #expect(try server.curl("/healthz").status == 200)
        #expect(try server.curl("/metrics").status == 200)

        // The WebSocket: refused without a key or with a wrong one; let in by the header or by api_key.
        for path in ["/v1/stream", "/v1/stream?api_key=wrong"] {
            #expect(throws: WebSocketTestClient.Failure.self) { _ = try WebSocketTestClient(port: server.port, path: path) }
        }
        #expect(throws: WebSocketTestClient.Failure.self) {
            _ = try WebSocketTestClient(port: server.port, path: "/v1/stream", headers: ["Authorization": "Bearer wrong"])
        }
        let byHeader = try WebSocketTestClient(port: server.port, path: "/v1/stream", headers: ["Authorization": "Bearer \(Self.keys[1])"])
        try byHeader.sendText(#"{"eof":1}"#)
        #expect(try byHeader.receiveAll().last == .close(code: 1000, reason: ""))

        let pcm = SpeechSample.s16le(SpeechSample.samples)
        let byQuery = try WebSocketTestClient(port: server.port, path: "/v1/stream?sample_rate=16000&api_key=\(Self.keys[0])")
        for start in stride(from: 0, to: pcm.count, by: 8000) { try byQuery.sendBinary(Array(pcm[start..<min(pcm.count, start + 8000)])) }
        try byQuery.sendText(#"{"eof":1}"#)
        #expect(try byQuery.receiveAll().last == .close(code: 1000, reason: ""))

        // tiny.en is English-only: no translation stream.
        let translate = try WebSocketTestClient(port: server.port, path: "/v1/stream?task=translate&api_key=\(Self.keys[0])")
        let answer = try translate.receiveAll()
        #expect(answer.first.map { "\($0)" }?.contains("does not stream translations") == true, "\(answer)")

        #expect(server.stop() == 0)
        let streams = Self.requestLines(server.stderr).filter { $0["message"] as? String == "stream" }
        #expect(streams.count == 3, "\(server.stderr)")
        let spoken = streams.first { ($0["audio_s"] as? Double ?? 0) > 3 }  // the 3.3 s sample's 8 words
        #expect((spoken?["final_words"] as? Int ?? 0) >= 6, "\(streams)")
        #expect(spoken?["outcome"] as? String == "ok" && spoken?["path"] as? String == "/v1/stream")
        for key in Self.keys { #expect(!server.stderr.contains(key)) }
    }

    @Test func corsPreflightAnswersAllowedOriginsOnlyAndMetricsHaveTheProcess() throws {
        let server = try Self.server()
        let preflight = ["-X", "OPTIONS", "-H", "Access-Control-Request-Method: POST", "-H", "Access-Control-Request-Headers: authorization"]
        let allowed = try server.curlHeaders("/v1/audio/transcriptions", preflight + ["-H", "Origin: \(Self.origin)"])
        #expect((200..<300).contains(allowed.status), "\(allowed.status)")
        #expect(allowed.headers["access-control-allow-origin"] == Self.origin, "\(allowed.headers)")
        #expect(allowed.headers["access-control-allow-headers"]?.lowercased().contains("authorization") == true)
        #expect(allowed.headers["access-control-allow-methods"]?.contains("POST") == true)
        let other = try server.curlHeaders("/v1/audio/transcriptions", preflight + ["-H", "Origin: https://elsewhere.example.com"])
        #expect(other.headers["access-control-allow-origin"] == nil, "\(other.headers)")
        // A refused request from an allowed page is readable by it.
        let refused = try server.curlHeaders("/v1/models", ["-H", "Origin: \(Self.origin)"])
        #expect(refused.status == 401 && refused.headers["access-control-allow-origin"] == Self.origin)

        let rss = try #require(try server.metric("process_resident_memory_bytes"))
        #expect(rss > 1_000_000)
        #expect(try #require(try server.metric("process_open_fds")) > 3)
        #expect(try #require(try server.metric("process_max_fds")) >= 64)
        #expect(try #require(try server.metric("process_cpu_seconds_total")) > 0)
        let started = try #require(try server.metric("process_start_time_seconds"))
        #expect(abs(started - Date().timeIntervalSince1970) < 3600, "start time \(started)")
        #expect(try server.metric("sluice_sessions_total{kind=\"stream\"}") == 0)
        #expect(server.stop() == 0)
    }

    @Test(.needsModels("base")) func aMultilingualModelAlsoStreamsTranslationsOnRequest() throws {
        let server = try ServerProcess(["--model", "base"])
        #expect(server.stderr.contains("translation stream: built-in translation pipeline (base)"), "\(server.stderr)")
        #expect(try server.curl("/v1/models").body.contains(#"{"id":"base","object":"model""#))
        let french = SpeechSample.read("Samples/speech-fr.wav")
        let (events, close) = try ServeTests.stream(
            port: server.port, query: "sample_rate=16000&task=translate&language=fr", pcm: SpeechSample.s16le(french), bytesPerSecond: 32000)
        #expect(close == .close(code: 1000, reason: ""))
        let finals = events.filter { $0.type == "final" }
        #expect(finals.contains { $0.lane == "target" && !($0.text ?? "").isEmpty }, "\(events)")
        #expect(finals.contains { $0.lane == "source" && !($0.text ?? "").isEmpty }, "\(events)")
        #expect(events.allSatisfy { $0.language == "fr" }, "\(events)")
        let unknown = try WebSocketTestClient(port: server.port, path: "/v1/stream?language=xx")
        #expect("\(try unknown.receiveAll())".contains("language (query parameter)"))
        #expect(server.stop() == 0)
    }

    @Test func keysFilesThatGiveNoKeyAreConfigurationErrors() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let comments = folder.appendingPathComponent("keys.txt")
        try Data("# no key yet\n\n".utf8).write(to: comments)
        let empty = try SluiceProcess.run(["serve", "--api-keys-file", comments.path])
        #expect(empty.status == 78 && empty.stderr.contains("no key in the file"), "\(empty.stderr)")
        let missing = try SluiceProcess.run(["serve", "--api-keys-file", folder.appendingPathComponent("none").path])
        #expect(missing.status == 78 && missing.stderr.contains("cannot read the file"), "\(missing.stderr)")
        #expect(try SluiceProcess.run(["serve", "--log-format", "xml"]).status == 64)
    }

    /// The JSON lines of the request log (messages `request` and `stream`), parsed.
    static func requestLines(_ stderr: String) -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return ["request", "stream"].contains(object["message"] as? String) ? object : nil
        }
    }
}
