import Testing

@testable import SluiceSimul

@Suite struct EventLogTests {
    private let log = """
        {"lane":"source","type":"final","text":" La parole","words":[{"word":" La"},{"word":" parole"}],"emitted_at":0.4,"audio_end":1.0,"language":"fr"}
        {"lane":"target","type":"partial","text":" The","words":[{"word":" The"}],"emitted_at":0.5,"audio_end":1.0,"source_words":2,"language":"fr"}
        {"lane":"target","type":"final","text":" The word","words":[{"word":" The"},{"word":" word"}],"emitted_at":0.6,"audio_end":1.0,"source_audio_s":1.0,"source_words":2,"language":"fr"}
        {"lane":"source","type":"final","text":" est","words":[{"word":" est"}],"emitted_at":0.9,"audio_end":2.0,"language":"fr"}
        {"lane":"target","type":"final","text":" is","words":[{"word":" is"}],"emitted_at":1.1,"audio_end":2.5,"source_audio_s":2.5,"source_words":3,"language":"fr"}

        """

    @Test func readsTheWrittenTargetWordsWithWhenEachWasWritten() throws {
        let events = try EventLog(jsonLines: log, name: "fr.jsonl")
        #expect(events.targetText == "The word is")
        #expect(events.writes.map(\.sourceSeconds) == [1.0, 1.0, 2.5])
        #expect(events.sourceSeconds == 2.5)
        #expect(events.sourceWords == 3)
        #expect(events.language == "fr")
    }

    @Test func makesSimulEvalInstancesInSecondsAndInSourceWords() throws {
        let events = try EventLog(jsonLines: log, name: "fr.jsonl")
        let unpaced = events.secondsInstance(reference: "the floor is", paced: false)
        #expect(unpaced.delays == [1.0, 1.0, 2.5])
        #expect(unpaced.elapsed == [1.6, 1.6, 3.6], "audio read + wall-clock since the start")
        #expect(unpaced.sourceLength == 2.5)
        #expect(unpaced.referenceLength == 3)
        #expect(events.secondsInstance(reference: nil, paced: true).elapsed == [0.6, 0.6, 1.1])
        let words = try #require(events.wordsInstance(reference: "the floor is"))
        #expect(words.delays == [2, 2, 3])
        #expect(words.sourceLength == 3)
    }

    @Test func aLineThatIsNotAnEventNamesItsFileAndLine() {
        #expect(throws: EventLogError.self) { try EventLog(jsonLines: "{\"lane\":\"target\"}\n", name: "x.jsonl") }
        do {
            _ = try EventLog(jsonLines: log + "The word is\n", name: "run/fr.jsonl")
            Issue.record("plain text was read as an event")
        } catch {
            #expect(error.description == "run/fr.jsonl:6: not a JSON object")
        }
    }
}
