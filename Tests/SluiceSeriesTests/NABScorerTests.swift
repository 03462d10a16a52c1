import Foundation
import SluiceSeries
import Testing

/// NAB's scoring rules on hand-worked cases.
@Suite("NAB scoring")
struct NABScorerTests {
    let standard = NABScorer.Profile.standard

    @Test func probationAndSigmoid() {
        #expect(NABScorer.probation(rows: 1000) == 150)
        #expect(NABScorer.probation(rows: 10_000) == 750)
        #expect(abs(NABScorer.scaledSigmoid(-1) - 0.986_614_298) < 1e-9)  // 2/(1+e^-5) − 1
        #expect(NABScorer.scaledSigmoid(0) == 0)
        #expect(NABScorer.scaledSigmoid(3.01) == -1)
    }

    /// 200 rows (probation 30), one window [100, 119]: a detection at its first row is the perfect score.
    @Test func detectionAtWindowStartIsPerfect() {
        var scores = [Double](repeating: 0, count: 200)
        scores[100] = 1
        let result = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        #expect(abs(result.score - 100) < 1e-9)
        #expect(result.threshold == 1)
    }

    /// A detection at the window's last row scores tp·σ(−1/20); later rows of the same window add nothing.
    @Test func onlyTheFirstDetectionInAWindowCounts() {
        var scores = [Double](repeating: 0, count: 200)
        scores[119] = 1
        let late = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        let tp = NABScorer.scaledSigmoid(-1.0 / 20)
        #expect(abs(late.raw - tp) < 1e-12)
        #expect(abs(late.score - 100 * (tp + 1) / (NABScorer.scaledSigmoid(-1) + 1)) < 1e-9)
        scores[110] = 1  // an earlier detection at the same threshold replaces it
        let earlier = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        #expect(abs(earlier.raw - NABScorer.scaledSigmoid(-10.0 / 20)) < 1e-12)
    }

    /// False positives: −fp before any window, fp·σ(distance/(width − 1)) shortly after one; probation rows are ignored.
    @Test func falsePositivesAndProbation() {
        var scores = [Double](repeating: 0, count: 200)
        scores[100] = 1  // true positive at the window start
        scores[50] = 1  // before any window: −0.11
        scores[129] = 1  // 10 rows past a 20-row window: 0.11·σ(10/19)
        scores[10] = 1  // probationary: ignored
        let result = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        let expected = NABScorer.scaledSigmoid(-1) - 0.11 + 0.11 * NABScorer.scaledSigmoid(10.0 / 19)
        #expect(abs(result.raw - expected) < 1e-12)
    }

    /// The sweep keeps the threshold with the best total: here the lower threshold adds a TP worth more than its FP.
    @Test func thresholdSweepPicksTheBestCut() {
        var a = [Double](repeating: 0, count: 200), b = [Double](repeating: 0, count: 200)
        a[100] = 0.9
        b[60] = 0.8  // FP, −0.11
        b[150] = 0.8  // TP at the start of b's window
        let files = [NABScorer.File(scores: a, windows: [100...119]), NABScorer.File(scores: b, windows: [150...169])]
        let result = NABScorer.evaluate(files, profile: standard)
        #expect(result.threshold == 0.8)
        #expect(abs(result.raw - (2 * NABScorer.scaledSigmoid(-1) - 0.11)) < 1e-12)
        let lowFN = NABScorer.evaluate(files, profile: .rewardLowFN)
        #expect(abs(lowFN.score - 100 * (2 * NABScorer.scaledSigmoid(-1) - 0.11 + 4) / (2 * NABScorer.scaledSigmoid(-1) + 4)) < 1e-9)
    }

    /// A detector that never fires scores 0 (the null detector).
    @Test func silenceScoresZero() {
        let result = NABScorer.evaluate([NABScorer.File(scores: [Double](repeating: 0, count: 300), windows: [200...219])], profile: standard)
        #expect(result.score == 0 && result.raw == -1 && result.threshold == .infinity)
    }

    /// A corpus folder: label windows map to row ranges by timestamp; files the labels name but the folder lacks are skipped.
    @Test func corpusMapsWindowsToRows() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data/g"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        let rows = (0..<10).map { String(format: "2020-01-01 00:%02d:00,%d", $0, $0 == 6 ? 50 : 1) }
        try (["timestamp,value"] + rows).joined(separator: "\n").write(
            to: root.appendingPathComponent("data/g/a.csv"), atomically: true, encoding: .utf8)
        let labels = #"{"g/a.csv": [["2020-01-01 00:05:00.000000", "2020-01-01 00:07:00.000000"]], "g/missing.csv": []}"#
        try labels.write(to: root.appendingPathComponent("labels/combined_windows.json"), atomically: true, encoding: .utf8)
        let corpus = try NABCorpus(root: root.path)
        #expect(corpus.entries.map(\.name) == ["g/a.csv"])
        #expect(corpus.entries[0].windows == [5...7] && corpus.entries[0].values[6] == 50)
        let gaussian = NABCorpus.windowedGaussianScores(corpus.entries[0].values)
        #expect(gaussian[0] == 0 && gaussian[6] > 0.99 && gaussian[5] == 0.5)  // a value at the mean scores 1 − Q(0)
    }
}
