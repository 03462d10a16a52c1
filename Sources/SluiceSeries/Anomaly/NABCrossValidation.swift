/// Settings chosen on some of NAB's groups and scored on the others, so that a score tuned on the corpus shows
/// what it is worth on files its choice never saw.
///
/// Leave one group out: for each group (a `data/` folder), the candidate settings and the threshold that score
/// best on the other groups are applied to the held-out group; the held-out raw scores are pooled and normalised
/// over the whole corpus (`NABScorer.normalized`).
public enum NABCrossValidation {
    /// The choice made without one group.
    public struct Fold: Sendable, Equatable {
        public var group: String
        /// Index of the chosen candidate.
        public var candidate: Int
        public var threshold: Double
        /// The held-out group's raw score at that choice.
        public var raw: Double
    }

    public struct Result: Sendable {
        /// The best candidate on all files and its sweep result.
        public var candidate: Int
        public var allFiles: NABScorer.Result
        /// The pooled held-out normalised score.
        public var heldOut: Double
        public var folds: [Fold]
    }

    /// `candidates[c][f]`: file `f` scored by candidate `c` (the same windows for every candidate); `groups[f]`:
    /// its group. Of equal scores, the first candidate wins.
    public static func run(candidates: [[NABScorer.File]], groups: [String], profile: NABScorer.Profile) -> Result {
        precondition(!candidates.isEmpty && candidates.allSatisfy { $0.count == groups.count })
        func best(_ files: (Int) -> [NABScorer.File]) -> (Int, NABScorer.Result) {
            var choice = (0, NABScorer.evaluate(files(0), profile: profile))
            for c in candidates.indices.dropFirst() {
                let result = NABScorer.evaluate(files(c), profile: profile)
                if result.raw > choice.1.raw { choice = (c, result) }
            }
            return choice
        }
        let (overall, allFiles) = best { candidates[$0] }
        var folds = [Fold]()
        for group in Array(Set(groups)).sorted() {
            let inside = groups.indices.filter { groups[$0] == group }
            let outside = groups.indices.filter { groups[$0] != group }
            let (chosen, result) = best { c in outside.map { candidates[c][$0] } }
            let raw = NABScorer.raw(inside.map { candidates[chosen][$0] }, profile: profile, threshold: result.threshold)
            folds.append(Fold(group: group, candidate: chosen, threshold: result.threshold, raw: raw))
        }
        let pooled = folds.reduce(0) { $0 + $1.raw }
        let heldOut = NABScorer.normalized(raw: pooled, files: candidates[0], profile: profile)
        return Result(candidate: overall, allFiles: allFiles, heldOut: heldOut, folds: folds)
    }
}
