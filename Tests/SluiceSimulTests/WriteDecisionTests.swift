import Testing

@testable import SluiceSimul

@Suite struct WriteDecisionTests {
    private func words(_ texts: [String]) -> [CandidateWord] {
        texts.enumerated().map { CandidateWord(text: " " + $1, tokens: [$0], firstAttended: $0, lastAttended: $0, probability: 0.9) }
    }

    @Test func waitKReadsUntilTheSourceIsKWordsAheadThenWritesOneWordPerWord() {
        let decision = WriteDecision(policy: .waitK(words: 3))
        // 0.3 s of speech is one source word: 0.6 s is 2 words read, fewer than k.
        #expect(decision.plan(segmentSeconds: 0.6, written: 0) == .read)
        // 0.9 s: 3 words read, so 1 word may be written; 1.5 s: 5 read, 3 allowed, 1 already written.
        #expect(decision.plan(segmentSeconds: 0.9, written: 0) == .decode(maxWords: 1, guardFrames: nil))
        #expect(decision.plan(segmentSeconds: 1.5, written: 1) == .decode(maxWords: 2, guardFrames: nil))
        #expect(decision.plan(segmentSeconds: 1.5, written: 3) == .read)
    }

    @Test func waitKStopsDecodingAtTheStartOfTheFirstWordItMayNotWrite() {
        let plan = WriteDecision.Plan.decode(maxWords: 2, guardFrames: nil)
        #expect(!WriteDecision.stops(plan: plan, wordStart: true, wordIndex: 1, attended: 0, positions: 100))
        #expect(!WriteDecision.stops(plan: plan, wordStart: false, wordIndex: 1, attended: 0, positions: 100), "a word's second token")
        #expect(WriteDecision.stops(plan: plan, wordStart: true, wordIndex: 2, attended: 0, positions: 100))
    }

    @Test func alignAttStopsBeforeATokenThatAttendsToTheLastFramesOfTheAudio() {
        let plan = WriteDecision(policy: .alignAtt(frames: 25)).plan(segmentSeconds: 2, written: 0)
        #expect(plan == .decode(maxWords: nil, guardFrames: 25))
        #expect(!WriteDecision.stops(plan: plan, wordStart: true, wordIndex: 7, attended: 74, positions: 100))
        #expect(WriteDecision.stops(plan: plan, wordStart: false, wordIndex: 7, attended: 75, positions: 100))
    }

    @Test func onlyCompleteWordsAreWritten() {
        var decision = WriteDecision(policy: .alignAtt(frames: 25))
        let hypothesis = words(["I", "have", "destin"])
        #expect(decision.wordsToWrite(hypothesis, lastComplete: false) == 2, "the last word may go on with more audio")
        #expect(decision.wordsToWrite(hypothesis, lastComplete: true) == 3)
        #expect(decision.wordsToWrite([], lastComplete: false) == 0)
    }

    @Test func localAgreementWritesThePrefixThatConsecutiveHypothesesShare() {
        var decision = WriteDecision(policy: .localAgreement(hypotheses: 2))
        #expect(decision.wordsToWrite(words(["The", "word", "is"]), lastComplete: false) == 0, "one hypothesis agrees with nothing")
        // Compared by letters and digits, lower-cased: a comma or a capital that comes and goes does not matter.
        #expect(decision.wordsToWrite(words(["the", "word,", "was", "given"]), lastComplete: false) == 2)
        // After writing "the word", the next hypothesis continues after it and is compared with "was given".
        #expect(decision.wordsToWrite(words(["was", "given", "to"]), lastComplete: false) == 2)
        decision.reset()
        #expect(decision.wordsToWrite(words(["to"]), lastComplete: true) == 0, "a new segment starts without history")
    }

    @Test func everyPolicyWaitsLongerAsTheLatencyLevelRises() {
        let levels = LatencyLevel.allCases
        let frames = levels.map { level -> Int in
            guard case .alignAtt(let frames) = SimulPolicy.preset(.alignAtt, latency: level).policy else { return -1 }
            return frames
        }
        let lags = levels.map { level -> Int in
            guard case .waitK(let words) = SimulPolicy.preset(.waitK, latency: level).policy else { return -1 }
            return words
        }
        let steps = levels.map { SimulPolicy.preset(.localAgreement, latency: $0).stepSeconds }
        #expect(frames == frames.sorted() && Set(frames).count == levels.count)
        #expect(lags == lags.sorted() && Set(lags).count == levels.count)
        #expect(steps == steps.sorted() && Set(steps).count == levels.count)
    }
}
