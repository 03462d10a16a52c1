import SluiceWhisper
import Testing

@testable import SluiceSimul

/// SluiceWhisper's `StreamEventRenderer` on a translation stream's two lanes (its interleaved lines parse as
/// this module's `InterleavedTranscript`).
@Suite struct StreamEventRendererTests {
    private func event(_ lane: StreamEvent.Lane?, _ kind: StreamEvent.Kind, _ words: [String], at seconds: Double) -> StreamEvent {
        StreamEvent(
            kind: kind, words: words.map { TimedWord(word: $0, start: seconds, end: seconds) }, audioEnd: seconds,
            lane: lane, sourceWords: nil, language: lane == nil ? nil : "fr", languageProbability: lane == nil ? nil : 0.9731)
    }

    @Test func interleavedLinesParseBackIntoTheTwoLanes() throws {
        let events = [
            event(.source, .final, [" La", " parole"], at: 1.5),
            event(.target, .partial, [" The"], at: 1.5),
            event(.target, .final, [" The", " word"], at: 1.5),
            event(.source, .final, [" est", " à"], at: 2.0),
            event(.source, .final, [" madame"], at: 2.5),
            event(.target, .final, [" is", " to", " Mrs"], at: 2.5),
            event(.source, .final, [" Annie."], at: 3.6),
        ]
        var renderer = StreamEventRenderer(format: .interleaved)
        let lines = events.compactMap { renderer.render($0, emittedAt: 0) } + renderer.finish()
        #expect(
            lines == [
                "La parole <|end-of-read|> The word <|end-of-write|>\n",
                "est à madame <|end-of-read|> is to Mrs <|end-of-write|>\n",
                "Annie. <|end-of-read|> <|end-of-write|>\n",
            ])
        let transcript = try InterleavedTranscript(parsing: lines.joined())
        #expect(transcript.sourceText() == "La parole est à madame Annie.")
        #expect(transcript.targetText() == "The word is to Mrs")
    }

    @Test func textShowsTargetWritesOnly() {
        var renderer = StreamEventRenderer(format: .txt)
        #expect(renderer.render(event(.source, .final, [" La"], at: 1), emittedAt: 0) == nil)
        #expect(renderer.render(event(.target, .partial, [" The"], at: 1), emittedAt: 0) == nil)
        #expect(renderer.render(event(.target, .final, [" The", " word"], at: 1), emittedAt: 0) == "The word\n")
    }

    @Test func jsonLinesOfATranslationLaneAddItsFieldsAndATranscriptionsDoNot() {
        var renderer = StreamEventRenderer(format: .jsonl)
        let target = renderer.render(event(.target, .final, [" The"], at: 1), emittedAt: 1.25)
        #expect(
            target
                == #"{"lane":"target","type":"final","start":1.0,"end":1.0,"text":" The","words":[{"word":" The","start":1.0,"end":1.0,"probability":1.0}],"emitted_at":1.25,"audio_end":1.0,"source_audio_s":1.0,"source_words":null,"language":"fr","language_probability":0.9731}"#
                + "\n")
        let transcript = renderer.render(event(nil, .partial, [" The"], at: 1), emittedAt: 1.25)
        #expect(
            transcript
                == #"{"type":"partial","start":1.0,"end":1.0,"text":" The","words":[{"word":" The","start":1.0,"end":1.0,"probability":1.0}],"emitted_at":1.25,"audio_end":1.0}"#
                + "\n")
    }

    @Test func aTranscriptionStreamIsWrittenAsTheTargetLane() {
        var renderer = StreamEventRenderer(format: .terminal)
        #expect(renderer.render(event(nil, .partial, [" The"], at: 1), emittedAt: 0) == "The")
        #expect(renderer.render(event(nil, .final, [" The", " end"], at: 1), emittedAt: 0) == "The end\n")
    }
}
