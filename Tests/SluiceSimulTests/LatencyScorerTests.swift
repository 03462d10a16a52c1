import Testing

@testable import SluiceSimul

@Suite struct LatencyScorerTests {
    let scorer = LatencyScorer()

    /// Wait-k on a source of n words with an n-word reference: g(t) = min(k + t − 1, n).
    func waitK(_ k: Int, length: Int) -> SimulInstance {
        SimulInstance(
            delays: (1...length).map { Double(min(k + $0 - 1, length)) }, sourceLength: Double(length),
            referenceLength: length)
    }

    @Test func waitThreeLagsThreeWords() {
        let instance = waitK(3, length: 10)
        #expect(scorer.score(.averageLagging, for: instance) == 3.0)
        #expect(scorer.score(.lengthAdaptiveAverageLagging, for: instance) == 3.0)
        #expect(scorer.score(.differentiableAverageLagging, for: instance) == 3.0)
        // (3 + 4 + … + 10 + 10 + 10) / (10 · 10)
        #expect(scorer.score(.averageProportion, for: instance) == 0.72)
        #expect(scorer.score(.startOffset, for: instance) == 3)
        #expect(scorer.score(.endOffset, for: instance) == 0)
    }

    @Test func offlineTranslationLagsTheWholeSource() {
        let instance = SimulInstance(delays: Array(repeating: 12, count: 9), sourceLength: 12, referenceLength: 9)
        #expect(scorer.score(.averageLagging, for: instance) == 12)
        #expect(scorer.score(.averageProportion, for: instance) == 1)
        // DAL pushes each later word 1/γ = |X|/|Y_hyp| further and subtracts the same: still |X|.
        let dal = scorer.score(.differentiableAverageLagging, for: instance)
        #expect(dal.map { abs($0 - 12) < 1e-12 } == true)
    }

    @Test func firstDelayPastTheSourceIsTheLag() {
        let instance = SimulInstance(delays: [14, 15], sourceLength: 10, referenceLength: 2)
        #expect(scorer.score(.averageLagging, for: instance) == 14)
        #expect(scorer.score(.lengthAdaptiveAverageLagging, for: instance) == 14)
        #expect(scorer.score(.endOffset, for: instance) == 5)
    }

    @Test func overGenerationLowersALButNotLAAL() {
        // 6-word source, 3-word reference, the system writes 6 words: AL's γ = 3/6 subtracts 2 per word,
        // LAAL's γ = max(6, 3)/6 only 1.
        let instance = SimulInstance(delays: [1, 2, 3, 4, 5, 6], sourceLength: 6, referenceLength: 3)
        // AL: (1 + 0 + (−1) + (−2) + (−3) + (−4)) / 6
        #expect(scorer.score(.averageLagging, for: instance) == -1.5)
        #expect(scorer.score(.lengthAdaptiveAverageLagging, for: instance) == 1)
    }

    @Test func referenceLengthIsOnlyUsedWhenAskedFor() {
        let instance = SimulInstance(delays: [2, 4], sourceLength: 4, referenceLength: 4)
        // |Y| = 4: AP = 6 / 16; without the reference |Y| = 2: AP = 6 / 8.
        #expect(scorer.score(.averageProportion, for: instance) == 0.375)
        #expect(LatencyScorer(useReferenceLength: false).score(.averageProportion, for: instance) == 0.75)
        let noReference = SimulInstance(delays: [2, 4], sourceLength: 4)
        #expect(scorer.score(.averageProportion, for: noReference) == 0.75)
    }

    @Test func emptyHypothesesAreSkippedFromTheCorpusMean() {
        let empty = SimulInstance(delays: [], sourceLength: 5, referenceLength: 3)
        #expect(scorer.score(.averageLagging, for: empty) == nil)
        #expect(scorer.corpusScore(.averageLagging, over: [empty]) == nil)
        let corpus = [waitK(3, length: 10), empty, waitK(1, length: 10)]
        #expect(scorer.corpusScore(.averageLagging, over: corpus) == 2)
        #expect(scorer.corpusScores(over: [empty]).isEmpty)
    }

    @Test func computationAwareScoresTheElapsedTimes() {
        let instance = SimulInstance(delays: [500, 1000], elapsed: [650, 1300], sourceLength: 1000, referenceLength: 2)
        let aware = LatencyScorer(computationAware: true)
        #expect(aware.score(.startOffset, for: instance) == 650)
        #expect(aware.score(.endOffset, for: instance) == 300)
        // τ = 2, γ = 2/1000: ((650 − 0) + (1300 − 500)) / 2
        #expect(aware.score(.averageLagging, for: instance) == 725)
        #expect(aware.score(.averageLagging, for: SimulInstance(delays: [500], sourceLength: 1000)) == nil)
    }

    @Test func referenceWordsAreCountedOnSingleSpaces() {
        #expect(SimulInstance.referenceWordCount("a b c") == 3)
        #expect(SimulInstance.referenceWordCount("a  b\n") == 3)
        #expect(SimulInstance.referenceWordCount("") == 1)
        #expect(SimulInstance.referenceWordCount("tab\tseparated") == 1)
    }

    @Test func metricNamesAreSimulEvals() {
        #expect(LatencyMetric.allCases.map(\.rawValue) == ["AL", "LAAL", "DAL", "AP", "StartOffset", "EndOffset"])
    }
}
