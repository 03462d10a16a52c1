import Foundation
import SluiceWhisper
import Testing

/// Results are data: transcripts and stream events encode and decode with the keys of Sluice's own JSON output.
@Suite struct CodableResultsTests {
    @Test func aTranscriptRoundTripsWithVerboseJSONKeys() throws {
        let words = [TranscriptWord(word: " Hello", start: 0.5, end: 0.9, probability: 0.875)]
        let segment = TranscriptSegment(
            id: 1, seek: 0, start: 0.5, end: 1.5, text: " Hello.", tokens: [50364, 2425, 13, 50439], temperature: 0,
            averageLogProbability: -0.25, compressionRatio: 0.5, noSpeechProbability: 0.125, words: words)
        let transcript = Transcript(language: "en", task: "transcribe", duration: 2, segments: [segment])
        let data = try JSONEncoder().encode(transcript)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((object["segments"] as? [[String: Any]])?.first)
        #expect(first["avg_logprob"] as? Double == -0.25)
        #expect(first["no_speech_prob"] as? Double == 0.125)
        #expect(first["compression_ratio"] as? Double == 0.5)
        #expect(try JSONDecoder().decode(Transcript.self, from: data) == transcript)
    }

    @Test func aStreamedJSONLineDecodesBackIntoItsEvent() throws {
        let words = [TimedWord(word: " Annie", start: 0.25, end: 0.75, probability: 0.5)]
        for event in [
            StreamEvent(kind: .final, words: words, audioEnd: 1.5),
            StreamEvent(kind: .partial, words: words, audioEnd: 2, lane: .target, sourceWords: 3, language: "fr"),
        ] {
            let line = event.jsonLine(emittedAt: 1.75)
            #expect(try JSONDecoder().decode(StreamEvent.self, from: Data(line.utf8)) == event, "\(line)")
        }
    }
}
