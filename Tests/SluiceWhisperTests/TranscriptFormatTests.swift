import SluiceWhisper
import Testing

/// Every format on one small transcript: word timings on one segment, an hour-long timestamp, and text that
/// needs escaping. The txt and srt outputs are what openai-whisper's writers give.
@Suite struct TranscriptFormatTests {
    static let transcript = Transcript(
        language: "en", task: "transcribe", duration: 3725.4567,
        segments: [
            TranscriptSegment(
                id: 0, seek: 0, start: 0.0625, end: 3.5, text: " Hello, world.", tokens: [50364, 15947, 11, 1002, 13, 50539],
                temperature: 0, averageLogProbability: -0.25432, compressionRatio: 0.8765432, noSpeechProbability: 0.012345,
                words: [
                    TranscriptWord(word: " Hello,", start: 0.0625, end: 0.52, probability: 0.91234),
                    TranscriptWord(word: " world.", start: 0.52, end: 3.5, probability: 0.87),
                ]),
            TranscriptSegment(
                id: 1, seek: 350, start: 3.5, end: 3661.25, text: " Say \"hi\" --> \\ then\ttab ", tokens: [50539, 25515, 50364],
                temperature: 0.2, averageLogProbability: -1, compressionRatio: 1.5, noSpeechProbability: 0.5),
            TranscriptSegment(
                id: 2, seek: 366125, start: 3661.25, end: 3725.4567, text: " naïve café — 東京\u{1}", tokens: [50364, 50365],
                temperature: 0, averageLogProbability: -0.00001, compressionRatio: 1.2, noSpeechProbability: 0),
        ])

    @Test func txt() {
        #expect(TranscriptFormat.txt.render(Self.transcript) == "Hello, world.\nSay \"hi\" --> \\ then\ttab\nnaïve café — 東京\u{1}\n")
    }

    @Test func srt() {
        #expect(
            TranscriptFormat.srt.render(Self.transcript, layout: .segments) == """
                1
                00:00:00,062 --> 00:00:03,500
                Hello, world.

                2
                00:00:03,500 --> 01:01:01,250
                Say "hi" -> \\ then\ttab

                3
                01:01:01,250 --> 01:02:05,457
                naïve café — 東京\u{1}


                """)
    }

    /// As the reference, but with hours below an hour too.
    @Test func vtt() {
        #expect(
            TranscriptFormat.vtt.render(Self.transcript, layout: .segments) == """
                WEBVTT

                00:00:00.062 --> 00:00:03.500
                Hello, world.

                00:00:03.500 --> 01:01:01.250
                Say "hi" -> \\ then\ttab

                01:01:01.250 --> 01:02:05.457
                naïve café — 東京\u{1}


                """)
    }

    @Test func json() {
        #expect(
            TranscriptFormat.json.render(Self.transcript) == #"""
                {"text":"Hello, world. Say \"hi\" --> \\ then\ttab  naïve café — 東京\u0001"}

                """#)
    }

    @Test func verboseJSON() {
        let words =
            #"[{"word":" Hello,","start":0.062,"end":0.52,"probability":0.9123},{"word":" world.","start":0.52,"end":3.5,"probability":0.87}]"#
        let expected =
            #"{"task":"transcribe","language":"english","duration":3725.457,"#
            + #""text":"Hello, world. Say \"hi\" --> \\ then\ttab  naïve café — 東京\u0001","segments":["#
            + #"{"id":0,"seek":0,"start":0.062,"end":3.5,"text":" Hello, world.","tokens":[50364,15947,11,1002,13,50539],"#
            + #""temperature":0.0,"avg_logprob":-0.2543,"compression_ratio":0.8765,"no_speech_prob":0.0123,"words":\#(words)},"#
            + #"{"id":1,"seek":350,"start":3.5,"end":3661.25,"text":" Say \"hi\" --> \\ then\ttab ","tokens":[50539,25515,50364],"#
            + #""temperature":0.2,"avg_logprob":-1.0,"compression_ratio":1.5,"no_speech_prob":0.5},"#
            + #"{"id":2,"seek":366125,"start":3661.25,"end":3725.457,"text":" naïve café — 東京\u0001","tokens":[50364,50365],"#
            + #""temperature":0.0,"avg_logprob":0.0,"compression_ratio":1.2,"no_speech_prob":0.0}],"#
            + #""words":\#(words)}"# + "\n"
        #expect(TranscriptFormat.verboseJSON.render(Self.transcript) == expected)
    }

    @Test func verboseJSONWithoutWordsHasNoWordsKeys() {
        var transcript = Self.transcript
        transcript.segments[0].words = nil
        transcript.language = "xx"
        let rendered = TranscriptFormat.verboseJSON.render(transcript)
        #expect(!rendered.contains(#""words""#))
        #expect(rendered.hasPrefix(#"{"task":"transcribe","language":"xx","#))
    }

    @Test func emptyTranscripts() {
        let empty = Transcript(language: "de", task: "translate", duration: 0, segments: [])
        #expect(TranscriptFormat.txt.render(empty) == "")
        #expect(TranscriptFormat.srt.render(empty) == "")
        #expect(TranscriptFormat.vtt.render(empty) == "WEBVTT\n\n")
        #expect(TranscriptFormat.json.render(empty) == "{\"text\":\"\"}\n")
        #expect(
            TranscriptFormat.verboseJSON.render(empty) == #"{"task":"translate","language":"german","duration":0.0,"text":"","segments":[]}"# + "\n")
    }

    @Test func namesAndExtensions() {
        #expect(TranscriptFormat.allCases.map(\.rawValue) == ["txt", "json", "verbose_json", "srt", "vtt", "jsonl"])
        #expect(TranscriptFormat.allCases.map(\.fileExtension) == ["txt", "json", "json", "srt", "vtt", "jsonl"])
    }
}
