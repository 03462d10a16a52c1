import Testing

@testable import SluiceSimul

/// Sluice's latency metrics against SimulEval 1.1.4's own scorers (Fixtures/latency.json).
@Suite struct LatencyFixtureTests {
    let fixture: LatencyFixture

    init() throws {
        fixture = try LatencyFixture.load()
    }

    func instance(_ fixtureCase: LatencyFixture.Case) -> SimulInstance {
        SimulInstance(
            delays: fixtureCase.delays, elapsed: fixtureCase.elapsed, sourceLength: fixtureCase.sourceLength,
            referenceLength: fixtureCase.reference.map(SimulInstance.referenceWordCount))
    }

    /// Every metric's score matches SimulEval's to 1e-9, nil (skipped) where SimulEval had none.
    func expectMatches(
        _ expected: [String: Double?], _ score: (LatencyMetric) -> Double?, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Set(expected.keys) == Set(LatencyMetric.allCases.map(\.rawValue)), sourceLocation: sourceLocation)
        for metric in LatencyMetric.allCases {
            let want = expected[metric.rawValue] ?? nil
            let got = score(metric)
            if let want, let got {
                #expect(abs(got - want) <= 1e-9, "\(label) \(metric.rawValue)", sourceLocation: sourceLocation)
            } else {
                #expect(got == nil && want == nil, "\(label) \(metric.rawValue)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func generatedBySimulEval114() {
        #expect(fixture.generator == "simuleval 1.1.4")
        #expect(fixture.cases.count >= 10)
    }

    @Test func referenceLengthsAreCountedAsSimulEvalCounts() {
        for fixtureCase in fixture.cases {
            #expect(fixtureCase.reference.map(SimulInstance.referenceWordCount) == fixtureCase.referenceLength)
        }
    }

    @Test func singleInstancesMatch() {
        for fixtureCase in fixture.cases {
            let instance = instance(fixtureCase)
            expectMatches(fixtureCase.scores, { LatencyScorer().score($0, for: instance) }, fixtureCase.name)
            expectMatches(
                fixtureCase.scoresWithoutReferenceLength,
                { LatencyScorer(useReferenceLength: false).score($0, for: instance) }, fixtureCase.name)
        }
    }

    @Test func computationAwareInstancesMatch() throws {
        let measured = fixture.cases.filter { $0.computationAwareScores != nil }
        #expect(measured.count == 2)
        for fixtureCase in measured {
            let instance = instance(fixtureCase)
            let aware = LatencyScorer(computationAware: true)
            expectMatches(
                try #require(fixtureCase.computationAwareScores), { aware.score($0, for: instance) }, fixtureCase.name)
        }
    }

    @Test func corporaAreMeansOfScoredInstances() {
        for corpus in fixture.corpora {
            let instances = corpus.cases.map { instance(fixture.cases[$0]) }
            expectMatches(corpus.scores, { LatencyScorer().corpusScore($0, over: instances) }, corpus.name)
        }
    }

    /// SimulEval's quick start (random wait-3 agent): v1.1.4 prints AL 3.0, LAAL 3.0, AP 0.676, DAL 3.0. (The
    /// quick-start README, written in December 2022 for v1.1.0, shows AP 0.688.)
    @Test func quickStartReproducesSimulEvalsPrintedNumbers() {
        let instances = fixture.quickStart.instances.map {
            SimulInstance(
                delays: $0.delays, sourceLength: $0.sourceLength,
                referenceLength: SimulInstance.referenceWordCount($0.reference))
        }
        let scores = LatencyScorer().corpusScores(over: instances)
        for (name, want) in fixture.quickStart.scores {
            let metric = LatencyMetric(rawValue: name)
            #expect(metric != nil)
            if let metric, let got = scores[metric] {
                #expect(abs(got - want) <= 1e-9, "\(name)")
            } else {
                Issue.record("no \(name) score")
            }
        }
        #expect(fixture.quickStart.printed["AP"] == 0.676)
        #expect(scores[.averageLagging] == 3.0)
        #expect(scores[.differentiableAverageLagging] == 3.0)
        #expect(scores[.averageProportion].map { ($0 * 1000).rounded() / 1000 } == 0.676)
    }
}
