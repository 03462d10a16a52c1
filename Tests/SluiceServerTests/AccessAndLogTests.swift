import Foundation
import Logging
import SluiceWhisper
import Testing

@testable import SluiceServer

/// The pure parts of keys, request logs, process metrics and streamed transcription events.
@Suite struct AccessAndLogTests {
    @Test func keysMatchWholeAndOnlyWhole() {
        let keys = APIKeys(["sk-alpha", "sk-beta-2"])
        #expect(keys.isEnabled && !APIKeys([]).isEnabled)
        #expect(keys.accepts("sk-alpha") && keys.accepts("sk-beta-2"))
        for wrong in ["", "sk-alph", "sk-alphaa", "SK-ALPHA", "sk-beta-", "sk-alpha sk-beta-2"] { #expect(!keys.accepts(wrong), "\(wrong)") }
        #expect(APIKeys.equal(Array("abc".utf8), Array("abc".utf8)))
        #expect(!APIKeys.equal(Array("abc".utf8), Array("abc\u{0}".utf8)))
        #expect(!APIKeys.equal([], [0]))
    }

    @Test func keysFromAFileAndTheEnvironment() {
        let file = """
            # team keys
            sk-one

              sk-two   # the page's key
            #sk-disabled
            """
        #expect(APIKeys.parse(file: file) == ["sk-one", "sk-two"])
        #expect(APIKeys.parse(environment: " sk-a, sk-b ,,") == ["sk-a", "sk-b"])
        #expect(APIKeys.parse(environment: "").isEmpty)
    }

    @Test func logLinesAreOneLineOfTextOrJSON() throws {
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        let metadata: Logger.Metadata = [
            "path": "/v1/models", "status": .stringConvertible(401), "duration_s": .stringConvertible(0.004), "client": "a \"b\"\nc",
        ]
        let json = ServiceLogHandler.line(format: .json, time: time, level: .info, message: "request", metadata: metadata)
        #expect(json.hasSuffix("}\n") && json.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["status"] as? Int == 401 && object["duration_s"] as? Double == 0.004)
        #expect(object["client"] as? String == "a \"b\"\nc" && object["message"] as? String == "request")
        #expect((object["time"] as? String)?.hasPrefix("2027-01-15T08:00:00.250") == true, "\(json)")
        let text = ServiceLogHandler.line(format: .text, time: time, level: .info, message: "request", metadata: metadata)
        #expect(text.hasSuffix(" duration_s=0.004 path=/v1/models status=401\n") && text.contains(#"client="a \"b\"\nc""#), "\(text)")
    }

    @Test func procStatFieldsAreReadAfterTheCommandName() throws {
        let line = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 50 0 0 20 0 9 0 123456 987654321 2048 18446744073709551615 1"
        let fields = try #require(ProcessMetrics.StatFields(line))
        #expect(fields == ProcessMetrics.StatFields(line)!)
        #expect((fields.userTicks, fields.systemTicks, fields.startTicks) == (250, 50, 123456))
        #expect((fields.virtualBytes, fields.residentPages) == (987_654_321, 2048))
        #expect(ProcessMetrics.StatFields("42 (short) S 1") == nil)
        #expect(ProcessMetrics.bootTime("cpu  1 2 3\nbtime 1796584322\nprocesses 9\n") == 1_796_584_322)
        let limits =
            "Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n"
        #expect(ProcessMetrics.maxOpenFiles(limits) == 1024)

        let now = try #require(ProcessMetrics.current())
        #expect(now.residentMemoryBytes > 1_000_000 && now.openFileDescriptors > 3)
        var text = PrometheusText()
        now.render(into: &text)
        #expect(text.output.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "))
    }

    @Test func streamedDeltasAddUpToTheFinalText() {
        let model = SpecialTokens(vocabularySize: 51864)
        var events = TranscriptionEvents(tokens: model)
        func segment(_ text: String, tokens: [Int]) -> TranscriptSegment {
            TranscriptSegment(
                id: 0, seek: 0, start: 0, end: 1, text: text, tokens: tokens, temperature: 0, averageLogProbability: 0, compressionRatio: 1,
                noSpeechProbability: 0)
        }
        let first = events.deltas([segment(" Hello there.", tokens: [1, 2, model.timestampBegin]), segment(" ", tokens: [])])
        let second = events.deltas([segment(" General Kenobi. ", tokens: [3, 4, 5])])
        let deltas = (first + second).map(\.serialized)
        // Spaces at the ends are held back, so that the deltas never run past the final (trimmed) text.
        #expect(
            deltas == [
                #"{"type":"transcript.text.delta","delta":"Hello there."}"#, #"{"type":"transcript.text.delta","delta":"  General Kenobi."}"#,
            ])
        let done = events.done(audioSeconds: 2.01).serialized
        #expect(
            done.hasPrefix(
                #"{"type":"transcript.text.done","text":"Hello there.  General Kenobi.","usage":{"type":"tokens","input_tokens":101,"output_tokens":5,"total_tokens":106"#
            ), "\(done)")
        #expect(TranscriptionEventStream.frame(.object([("a", .integer(1))])) == "data: {\"a\":1}\n\n")
    }
}
