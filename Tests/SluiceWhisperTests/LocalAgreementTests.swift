import Testing

@testable import SluiceWhisper

/// LocalAgreement-n as a state machine fed with synthetic hypotheses (no model).
@Suite struct LocalAgreementTests {
    /// Words " w0", " w1", … one per 0.5 s from `start`; `texts` overrides their text.
    private func words(_ texts: [String], from start: Double = 0) -> [TimedWord] {
        texts.enumerated().map { index, text in
            TimedWord(word: " " + text, start: start + Double(index) * 0.5, end: start + Double(index) * 0.5 + 0.4)
        }
    }

    @Test func twoAgreeingHypothesesCommitTheirCommonPrefix() {
        var policy = LocalAgreement(agreement: 2)
        let first = policy.update(words(["the", "cat"]))
        #expect(first.final.isEmpty && first.partial.map(\.word) == [" the", " cat"])
        let second = policy.update(words(["the", "cat", "sat"]))
        #expect(second.final.map(\.word) == [" the", " cat"])
        #expect(second.partial.map(\.word) == [" sat"])
        let third = policy.update(words(["the", "cat", "sat", "on"]))
        #expect(third.final.map(\.word) == [" sat"] && third.partial.map(\.word) == [" on"])
        #expect(policy.committed.map(\.word) == [" the", " cat", " sat"])
    }

    @Test func disagreementCommitsNothingAndFinalTextIsNeverRewritten() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["a", "cat"]))
        let changed = policy.update(words(["the", "cat"]))
        #expect(changed.final.isEmpty)
        let agreed = policy.update(words(["the", "cat", "sat"]))
        #expect(agreed.final.map(\.word) == [" the", " cat"])
        // A later hypothesis that rewrites the committed words cannot change them: old words are dropped.
        let rewritten = policy.update(words(["a", "dog", "sat", "down"]))
        #expect(policy.committed.map(\.word) == [" the", " cat"] + rewritten.final.map(\.word))
        #expect(!rewritten.final.contains { $0.word == " a" || $0.word == " dog" })
    }

    @Test func aRepeatedCommittedTailIsRemoved() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["one", "two"]))
        _ = policy.update(words(["one", "two"]))
        #expect(policy.committed.map(\.word) == [" one", " two"])
        // The buffer was cut: the next hypothesis starts again with " two" just after the committed end.
        let repeated = [TimedWord(word: " two", start: 0.95, end: 1.3), TimedWord(word: " three", start: 1.4, end: 1.8)]
        _ = policy.update(repeated)
        let next = policy.update(repeated + [TimedWord(word: " four", start: 1.9, end: 2.2)])
        #expect(next.final.map(\.word) == [" three"])
    }

    @Test func continuationsAreNewWordsEvenWhenTheirTimesOverlapTheFinalText() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["one", "two"]))
        _ = policy.update(words(["one", "two"]))
        #expect(policy.committedEnd == 0.9)
        // Decoded after the final text as a forced prefix: re-timed, " three" starts before the final end.
        let continuation = [TimedWord(word: " three", start: 0.7, end: 1.0), TimedWord(word: " four", start: 1.1, end: 1.4)]
        #expect(policy.extend(continuation).final.isEmpty)
        let agreed = policy.extend(continuation + [TimedWord(word: " five", start: 1.5, end: 1.8)], settledBy: 1.5)
        #expect(agreed.final.map(\.word) == [" three", " four"] && agreed.partial.map(\.word) == [" five"])
        // Re-read as a whole buffer, the same " three" would count as old (its centre is before the final end).
        var rereading = LocalAgreement(agreement: 2)
        _ = rereading.update(words(["one", "two"]))
        _ = rereading.update(words(["one", "two"]))
        _ = rereading.update(continuation)
        #expect(rereading.update(continuation).final.map(\.word) == [" four"])
    }

    @Test func aContinuationThatSaysTheFinalTailAgainLosesTheRepeat() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["canal", "should", "be"]))
        _ = policy.update(words(["canal", "should", "be"]))
        #expect(policy.committedEnd == 1.4)
        // The decoder says the last two final words again after the forced prefix, squeezed into the audio
        // after them, then goes on.
        let continuation = [
            TimedWord(word: " should", start: 1.4, end: 1.5), TimedWord(word: " be", start: 1.5, end: 1.6),
            TimedWord(word: " removed", start: 1.6, end: 2.2),
        ]
        #expect(policy.extend(continuation).partial.map(\.word) == [" removed"])
        #expect(policy.extend(continuation).final.map(\.word) == [" removed"])
        // A continuation that starts over a second after the final text is taken as it is.
        #expect(policy.extend(words(["removed", "entire"], from: 4)).partial.map(\.word) == [" removed", " entire"])
    }

    @Test func aPhraseSaidAgainIsKept() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["tear", "down", "the", "fence"]))
        _ = policy.update(words(["tear", "down", "the", "fence"]))
        #expect(policy.committedEnd == 1.9)
        // The speaker says it again, taking as long as the first time: it is speech, not a re-read.
        let again = words(["tear", "down", "the", "fence", "the"], from: 2)
        _ = policy.extend(again)
        #expect(policy.extend(again).final.map(\.word) == [" tear", " down", " the", " fence", " the"])
    }

    @Test func wordsBeginningWithAHyphenOrApostropheJoinTheWordBefore() {
        let split = [
            TimedWord(word: " post", start: 1, end: 1.2, probability: 0.9),
            TimedWord(word: "-mortem", start: 1.2, end: 1.6, probability: 0.5),
            TimedWord(word: " examination", start: 1.6, end: 2.2), TimedWord(word: "'s", start: 2.2, end: 2.3),
        ]
        let joined = TimedWord.joiningAttached(split)
        #expect(joined.map(\.word) == [" post-mortem", " examination's"])
        #expect(joined[0].start == 1 && joined[0].end == 1.6 && joined[0].probability == 0.5)
        // Words without a leading space (languages written without spaces) stay apart.
        #expect(TimedWord.joiningAttached([TimedWord(word: "今", start: 0, end: 0.2), TimedWord(word: "日", start: 0.2, end: 0.4)]).count == 2)
    }

    @Test func aWordPastTheDeadlineBecomesFinalWithoutAgreement() {
        var policy = LocalAgreement(agreement: 2)
        // The hypotheses keep changing their first word; everything after it waits on it.
        _ = policy.update(words(["strives", "was", "nigh"]), overdueBy: 0)
        let held = policy.update(words(["strab", "was", "nigh"]), overdueBy: 0)
        #expect(held.final.isEmpty)
        // Once enough audio follows it (its end, 0.4 s, is past the deadline), the newest spelling is final;
        // the words after it wait for agreement as before.
        _ = policy.update(words(["straw", "was", "nigh"]), overdueBy: 0)
        let forced = policy.update(words(["strives", "was", "nigh", "unto"]), overdueBy: 0.5)
        #expect(forced.final.map(\.word) == [" strives"])
        #expect(forced.partial.map(\.word) == [" was", " nigh", " unto"])
        // The deadline never makes final a word that has not settled.
        var unsettled = LocalAgreement(agreement: 2)
        #expect(unsettled.update(words(["a", "b"]), settledBy: 0, overdueBy: 10).final.isEmpty)
    }

    @Test func aWordWithoutDurationWaitsForAgreement() {
        // Time-collapsed words (written without being heard) look long overdue; the deadline passes them by.
        func collapsed(_ texts: [String]) -> [TimedWord] { texts.map { TimedWord(word: " " + $0, start: 3, end: 3) } }
        var policy = LocalAgreement(agreement: 2)
        let first = policy.update(words(["so"]) + collapsed(["I", "knew"]), overdueBy: 5)
        #expect(first.final.map(\.word) == [" so"] && first.partial.map(\.word) == [" I", " knew"])
        #expect(policy.update(collapsed(["we", "knew"]), overdueBy: 5).final.isEmpty)
        // At the end of a hypothesis, agreement does not make them final either: they were written past what
        // was heard (Whisper re-reading earlier text into a pause, "The Ephraim in Israel's history.").
        #expect(policy.update(collapsed(["we", "knew"]), overdueBy: 5).final.isEmpty)
        // With a heard word after them, it does.
        let heard = policy.update(collapsed(["we", "knew"]) + words(["it"], from: 5), overdueBy: 5)
        #expect(heard.final.map(\.word) == [" we", " knew"] && heard.partial.map(\.word) == [" it"])
    }

    @Test func punctuationAndCaseDoNotHoldWordsBack() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["Into", "you"]))
        let next = policy.update(words(["into", "you,", "his"]))
        #expect(next.final.map(\.word) == [" into", " you,"])  // the newest spelling
    }

    @Test func agreementOfThreeWaitsForThreeHypotheses() {
        var policy = LocalAgreement(agreement: 3)
        #expect(policy.update(words(["x", "y"])).final.isEmpty)
        #expect(policy.update(words(["x", "y"])).final.isEmpty)
        #expect(policy.update(words(["x", "z"])).final.map(\.word) == [" x"])
    }

    @Test func wordsWithoutEnoughFollowingAudioStayPartial() {
        var policy = LocalAgreement(agreement: 2)
        // Words end at 0.4, 0.9 and 1.4 s; only those ending by 1.0 s may become final, even though both
        // hypotheses agree on all three.
        _ = policy.update(words(["the", "cat", "sat"]), settledBy: 1.0)
        let held = policy.update(words(["the", "cat", "sat"]), settledBy: 1.0)
        #expect(held.final.map(\.word) == [" the", " cat"] && held.partial.map(\.word) == [" sat"])
        // Once enough audio follows, the agreed word is final.
        let settled = policy.update(words(["the", "cat", "sat", "on"]), settledBy: 1.5)
        #expect(settled.final.map(\.word) == [" sat"] && settled.partial.map(\.word) == [" on"])
    }

    @Test func anUnsureWordWaitsForMoreAudio() {
        var policy = LocalAgreement(agreement: 2)
        var unsure = words(["the", "later", "traditions"])
        unsure[1].probability = 0.3
        // Both hypotheses agree on all three, and all end before `settledBy`; but "later" (0.5–0.9 s) was
        // heard without confidence and must end by `unsureSettledBy`.
        _ = policy.update(words(["the", "later", "traditions"]), settledBy: 1.9, unsureSettledBy: 0.6)
        let held = policy.update(unsure, settledBy: 1.9, unsureSettledBy: 0.6)
        #expect(held.final.map(\.word) == [" the"] && held.partial.map(\.word) == [" later", " traditions"])
        // With enough audio after it, agreement makes it final, and the sure words after it.
        let settled = policy.update(unsure, settledBy: 2.5, unsureSettledBy: 1.0)
        #expect(settled.final.map(\.word) == [" later", " traditions"])
    }

    @Test func finishCommitsThePendingWords() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["last", "words"]))
        #expect(policy.finish().map(\.word) == [" last", " words"])
        #expect(policy.finish().isEmpty)
        // With n = 1, words still waiting for audio after them at the end of the stream.
        var single = LocalAgreement(agreement: 1)
        #expect(single.update(words(["all", "done"]), settledBy: 0.5).final.map(\.word) == [" all"])
        #expect(single.finish().map(\.word) == [" done"])
    }

    @Test func anUnsureStepStartsAgreementOverAndKeepsThePartialWordsForTheEnd() {
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(words(["what", "do", "I", "here"]))
        policy.reject()
        #expect(policy.partial.map(\.word) == [" what", " do", " I", " here"])
        // The next hypothesis has nothing to agree with.
        #expect(policy.update(words(["what", "do", "I", "hear"])).final.isEmpty)
        policy.reject()
        // A stream that ends on an unsure step (tiny.en looping on a short utterance) keeps the words.
        #expect(policy.finish().map(\.word) == [" what", " do", " I", " hear"])
    }

    @Test func wordsSqueezedIntoNoTimeAtTheEndAreNotMadeFinalAtTheEnd() {
        // Whisper re-reading the sentence into the silence after the audio: all at one instant (7.08 s).
        let said = [
            TimedWord(word: " the", start: 4.6, end: 4.6), TimedWord(word: " Egypt.", start: 6.36, end: 7.02),
            TimedWord(word: " The", start: 7.02, end: 7.08),
        ]
        let reread = ["biblical", "narratives,", "a", "pantry"].map { TimedWord(word: " " + $0, start: 7.08, end: 7.08) }
        var policy = LocalAgreement(agreement: 2)
        _ = policy.update(said + reread)
        // A collapsed word with heard words after it stays.
        #expect(policy.finish().map(\.word) == [" the", " Egypt.", " The"])
    }

    @Test func repetitionLoopsAreDetected() {
        #expect(RepetitionGuard.loops([5, 5, 5, 5]))
        #expect(RepetitionGuard.loops([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]))
        #expect(!RepetitionGuard.loops([1, 2, 3, 4, 5, 1, 2, 3]))
        #expect(!RepetitionGuard.loops([7, 7, 7]))
    }

    @Test func aPhraseSaidAgainAtTheEndIsCut() {
        func cut(_ text: String) -> Int? { RepetitionGuard.repetition(in: text.split(separator: " ").map(String.init))?.start }
        #expect(cut("that is to say happiness upon earth that is to say happiness upon earth") == 7)
        // The copy may stop short, as the buffer ends: the whole rest repeats (3 words or more).
        #expect(cut("the best emetic is that which is at hand the best emetic is that which is at") == 9)
        #expect(cut("he said that he would go he said that") == 6)
        // Three repeated words with more after them, a repeat too far back, and short hypotheses are speech.
        #expect(cut("i tell you i tell you that it is so") == nil)
        #expect(cut("we went to the market and bought bread") == nil)
        #expect(cut("one two one two") == nil)
        let far = "a b c d " + (1...30).map { "w\($0)" }.joined(separator: " ") + " a b c d"
        #expect(cut(far) == nil)
    }

    @Test func newWordsThatSayTheFinalWordsAgainAtFullLengthAreNotCut() {
        // " some sung out tear down the fence" is final (the forced prefix); the new words say the phrase again.
        let final = words(["some", "sung", "out", "tear", "down", "the", "fence"])
        let again = words(["tear", "down", "the", "fence", "the", "stillness"], from: 3.5)
        #expect(RepetitionGuard.repeatCut(final + again, newFrom: final.count) == nil)
        // Squeezed into a fraction of a second, it is Whisper re-reading the final words: they go, and what
        // follows them (the new speech) stays.
        let reread = ["tear", "down", "the", "fence", "the"].enumerated().map { index, text in
            TimedWord(word: " " + text, start: 3.4 + Double(index) * 0.02, end: 3.42 + Double(index) * 0.02)
        }
        #expect(RepetitionGuard.repeatCut(final + reread, newFrom: final.count) == final.count..<(final.count + 4))
        // A repeat inside the new words is cut from where it starts to the end.
        let looping = words(["and", "so", "on", "we", "and", "so", "on", "we"], from: 3.5)
        #expect(RepetitionGuard.repeatCut(final + looping, newFrom: final.count) == (final.count + 4)..<(final.count + 8))
    }

    @Test func aPhraseSaidAgainAfterOtherWordsIsKeptAndAReReadOfItIsRemoved() {
        // "he could wait no longer for a full hour he had paced up and down but" is final; the speaker then
        // says "he could wait no longer" again (benchmark stream, 25 s).
        let final = words(["he", "could", "wait", "no", "longer", "for", "a", "full", "hour", "he", "had", "paced", "up", "and", "down", "but"])
        let again = words(["he", "could", "wait", "no", "longer"], from: 8)
        #expect(RepetitionGuard.repeatCut(final + again, newFrom: final.count) == nil)
        // Once final, the phrase said again does not hold back the words after it.
        let next = words(["there's", "iron", "they", "say"], from: 10.5)
        #expect(RepetitionGuard.repeatCut(final + again + next, newFrom: final.count + again.count) == nil)
        // Whisper re-reading "what they would do" at one instant, then going on with the new speech.
        let said = words(["it's", "just", "what", "they", "would", "do", "this", "is"])
        let reread = ["what", "they", "would", "do"].map { TimedWord(word: " " + $0, start: 4.2, end: 4.2) }
        let hypothesis = said + reread + words(["so", "they", "always"], from: 5)
        #expect(RepetitionGuard.repeatCut(hypothesis, newFrom: said.count) == said.count..<(said.count + 4))
    }

    @Test func aPhraseTheSpeakerSaysAgainInsideTheNewWordsIsKept() {
        // "… you have seen my lady i knew you could not choose but like her but yet let me tell" is final; the
        // speaker goes on "you, you have seen" (noisy benchmark stream, 195 s): the repeat starts after the
        // first new word and comes back after other words, at the length it took the first time.
        let final = words([
            "you", "have", "seen", "my", "lady", "i", "knew", "you", "could", "not", "choose", "but", "like", "her", "but", "yet", "let", "me",
            "tell",
        ])
        let next = words(["you,", "you", "have", "seen"], from: 10)
        #expect(RepetitionGuard.repeatCut(final + next, newFrom: final.count) == nil)
        // Squeezed into an instant, the same words are Whisper re-reading them: cut to the end.
        let squeezed = words(["you,"], from: 10) + ["you", "have", "seen"].map { TimedWord(word: " " + $0, start: 10.5, end: 10.5) }
        #expect(RepetitionGuard.repeatCut(final + squeezed, newFrom: final.count) == (final.count + 1)..<(final.count + 4))
    }

    @Test func aPhraseSaidAgainAfterOneTheAlignerStretchedIsKept() {
        // Word times of a step at 106 s of a noisy benchmark stream: the buffer starts at 96.5 s with "it was
        // here that most magnificent dinners were arranged" (final, its first word stretched back to the
        // buffer's start), and the speaker says "it was here that" again, quickly, in the new words.
        func timed(_ words: [(String, Double, Double)]) -> [TimedWord] { words.map { TimedWord(word: " " + $0.0, start: $0.1, end: $0.2) } }
        let final = timed([("It", 96.5, 97.22), ("was", 97.22, 97.42), ("here", 97.42, 97.62), ("that", 97.62, 97.88), ("most", 97.88, 98.12)])
        let again = timed([
            ("It", 105.08, 105.08), ("was", 105.08, 105.2), ("here", 105.2, 105.34), ("that", 105.34, 105.56), ("lobster", 105.56, 105.86),
        ])
        #expect(RepetitionGuard.repeatCut(final + again, newFrom: final.count) == nil)
    }
}
