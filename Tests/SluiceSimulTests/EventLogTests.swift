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

/// Sluice's runs as SimulEval's instance log.
@Suite struct SimulEvalLogTests {
    @Test func anInstanceLineHasSimulEvalsFieldsInMilliseconds() throws {
        let log = try EventLog(
            jsonLines: """
                {"lane":"target","type":"final","text":" The word","words":[{"word":" The"},{"word":" word"}],"emitted_at":0.25,"audio_end":1.0,"source_audio_s":1.0,"source_words":null,"language":"fr","language_probability":0.93}
                {"lane":"target","type":"final","text":" is  here.","words":[{"word":" is"},{"word":"  "},{"word":" here."}],"emitted_at":0.5,"audio_end":2.5,"source_audio_s":2.5,"source_words":null,"language":"fr","language_probability":0.93}

                """, name: "fr.jsonl")
        #expect(log.languageProbability == 0.93)
        #expect(log.writes.map(\.word) == [" The", " word", " is", " here."], "a word of whitespace only is no target unit")
        let line = SimulEvalLog.line(index: 3, log: log, reference: "the floor is here", source: "fr.ogg", paced: false)
        #expect(
            line
                == #"{"index":3,"prediction":"The word is here.","delays":[1000.0,1000.0,2500.0,2500.0],"elapsed":[1250.0,1250.0,3000.0,3000.0],"prediction_length":4,"reference":"the floor is here","source":["fr.ogg"],"source_length":2500.0}"#
                + "\n")
    }

    @Test func aWordWithInnerSpaceIsSeveralTargetUnits() {
        #expect(EventLog.pieces(of: " New York") == [" New", " York"])
        #expect(EventLog.pieces(of: "'s") == ["'s"])
    }
}
