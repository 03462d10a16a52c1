import SluiceWhisper
import Testing
@testable import SluiceSimul

@Suite struct SimulTextFormatTests {
    private func event(_ lane: SimulEvent.Lane, _ kind: StreamEvent.Kind, _ words: [String], at seconds: Double) -> SimulEvent {
        SimulEvent(lane: lane, kind: kind, words: words.map { TimedWord(word: $0, start: seconds, end: seconds) }, audioEnd: seconds,
                   sourceWords: nil, language: "fr")
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
        var renderer = SimulTextFormat.Renderer(format: .interleaved)
        let lines = events.compactMap { renderer.render($0, emittedAt: 0) } + renderer.finish()
        #expect(lines == ["La parole <|end-of-read|> The word <|end-of-write|>\n",
                          "est à madame <|end-of-read|> is to Mrs <|end-of-write|>\n",
                          "Annie. <|end-of-read|> <|end-of-write|>\n"])
        let transcript = try InterleavedTranscript(parsing: lines.joined())
        #expect(transcript.sourceText() == "La parole est à madame Annie.")
        #expect(transcript.targetText() == "The word is to Mrs")
    }

    @Test func textShowsTargetWritesOnly() {
        var renderer = SimulTextFormat.Renderer(format: .txt)
        #expect(renderer.render(event(.source, .final, [" La"], at: 1), emittedAt: 0) == nil)
        #expect(renderer.render(event(.target, .partial, [" The"], at: 1), emittedAt: 0) == nil)
        #expect(renderer.render(event(.target, .final, [" The", " word"], at: 1), emittedAt: 0) == "The word\n")
    }
}
