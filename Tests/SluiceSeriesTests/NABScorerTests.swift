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

    /// A detection at the window's last row scores tp·σ(−1/20)/σ(−1); later rows of the same window add nothing.
    @Test func onlyTheFirstDetectionInAWindowCounts() {
        var scores = [Double](repeating: 0, count: 200)
        scores[119] = 1
        let late = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        let tp = NABScorer.scaledSigmoid(-1.0 / 20) / NABScorer.scaledSigmoid(-1)
        #expect(abs(late.raw - tp) < 1e-12)
        #expect(abs(late.score - 100 * (tp + 1) / 2) < 1e-9)
        scores[110] = 1  // an earlier detection at the same threshold replaces it
        let earlier = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        #expect(abs(earlier.raw - NABScorer.scaledSigmoid(-10.0 / 20) / NABScorer.scaledSigmoid(-1)) < 1e-12)
    }

    /// False positives: −fp before any window, fp·σ(distance/(width − 1)) shortly after one; probation rows are ignored.
    @Test func falsePositivesAndProbation() {
        var scores = [Double](repeating: 0, count: 200)
        scores[100] = 1  // true positive at the window start
        scores[50] = 1  // before any window: −0.11
        scores[129] = 1  // 10 rows past a 20-row window: 0.11·σ(10/19)
        scores[10] = 1  // probationary: ignored
        let result = NABScorer.evaluate([NABScorer.File(scores: scores, windows: [100...119])], profile: standard)
        let expected = 1 - 0.11 + 0.11 * NABScorer.scaledSigmoid(10.0 / 19)
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
        #expect(abs(result.raw - (2 - 0.11)) < 1e-12)
        let lowFN = NABScorer.evaluate(files, profile: .rewardLowFN)
        #expect(abs(lowFN.score - 100 * (2 - 0.11 + 4) / (2 + 4)) < 1e-9)
        // Scored at a threshold chosen elsewhere: the sweep's own threshold gives its total; a higher one drops b's rows.
        #expect(abs(NABScorer.raw(files, profile: standard, threshold: 0.8) - result.raw) < 1e-12)
        #expect(abs(NABScorer.raw(files, profile: standard, threshold: 0.85) - (1 - 1)) < 1e-12)
    }

    /// As NAB's normaliser: null counts the windows with rows after probation, perfect every window at tp.
    @Test func boundsIgnoreWindowsInsideProbation() {
        let files = [NABScorer.File(scores: [Double](repeating: 0, count: 200), windows: [10...20, 100...119])]
        let bounds = NABScorer.bounds(files, profile: .rewardLowFN)
        #expect(bounds.null == -2 && bounds.perfect == 2)
        #expect(NABScorer.evaluate(files, profile: .rewardLowFN).raw == -2)
    }

    /// Leave one group out: the threshold chosen on the other group is applied to the one held out, and the two
    /// held-out totals are pooled. Group a's files want a low threshold, b's a high one.
    @Test func crossValidationChoosesOnTheOtherGroups() {
        var a = [Double](repeating: 0, count: 200), b = [Double](repeating: 0, count: 200)
        a[100] = 0.5  // a's TP at 0.5
        b[60] = 0.5  // b's FP at 0.5 (−0.11)
        b[150] = 0.9  // b's TP at 0.9
        let files = [NABScorer.File(scores: a, windows: [100...119]), NABScorer.File(scores: b, windows: [150...169])]
        let result = NABCrossValidation.run(candidates: [files], groups: ["a", "b"], profile: standard)
        #expect(result.folds.map(\.group) == ["a", "b"])
        #expect(result.folds[0].threshold == 0.9 && result.folds[1].threshold == 0.5)  // a's held out: chosen on b
        #expect(abs(result.folds[0].raw - -1) < 1e-12 && abs(result.folds[1].raw - (1 - 0.11)) < 1e-12)
        #expect(abs(result.heldOut - 100 * (-1 + 0.89 + 2) / 4) < 1e-9)
        #expect(abs(result.allFiles.score - 100 * (2 - 0.11 + 2) / 4) < 1e-9)  // in-sample: higher
        // Of two candidates, each fold takes the one better on the other group.
        let silent = files.map { NABScorer.File(scores: $0.scores.map { _ in 0 }, windows: $0.windows) }
        let two = NABCrossValidation.run(candidates: [silent, files], groups: ["a", "b"], profile: standard)
        #expect(two.candidate == 1 && two.folds.map(\.candidate) == [1, 1])
    }

    /// Results-file scores: z maps into [0, 1] in order, back again, and survives its 15-digit text.
    @Test func unitScoresKeepTheRanking() {
        let z: [Double] = [-.infinity, -3, 0, 0.5, 6, 66, 1000, 1000.000001]
        let unit = z.map(NABResults.unitScore)
        #expect(unit.first == 0 && unit.allSatisfy { (0..<1).contains($0) })
        #expect(zip(unit, unit.dropFirst()).allSatisfy { $0 < $1 })
        let written = unit.map(NABResults.written)
        #expect(zip(written, written.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(z.dropFirst(), unit.dropFirst()).allSatisfy { abs(NABResults.standardScore($1) - $0) < 1e-6 * max(1, abs($0)) })
        #expect(NABResults.path(root: "/r", detector: "d", file: "g/a.csv") == "/r/d/g/d_a.csv")
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
