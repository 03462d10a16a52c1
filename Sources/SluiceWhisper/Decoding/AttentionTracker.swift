import Foundation

/// Which audio position a decoder token attends to, as Simul-Whisper reads it from the alignment heads:
/// per head a softmax over the audio's positions, z-normalised per position along the tokens seen so far
/// (which removes positions that every token attends to, such as the first frames), a median filter of
/// width 7 along time, the mean over heads, and its argmax.
struct AttentionTracker {
    let positions: Int
    private let memoryPositions: Int
    /// Per head: per position, the sum and the sum of squares of the softmaxed attention over tokens.
    private var sums: [[Float]]
    private var squares: [[Float]]
    private var rows = 0

    init(heads: Int, positions: Int, memoryPositions: Int) {
        self.positions = max(1, min(positions, memoryPositions))
        self.memoryPositions = memoryPositions
        sums = Array(repeating: [Float](repeating: 0, count: self.positions), count: heads)
        squares = sums
    }

    /// Adds row `row` of a captured pass (each head's scores: rows × memory positions) and returns the
    /// softmaxed attention of each head for it.
    mutating func add(_ capture: CrossAttentionCapture, row: Int) -> [[Float]] {
        rows += 1
        return capture.scores.enumerated().map { head, scores in
            let slice = scores[(row * memoryPositions)..<(row * memoryPositions + positions)]
            let total = LogMath.logSumExp(slice)
            let weights = slice.map { expf($0 - total) }
            for (position, weight) in weights.enumerated() {
                sums[head][position] += weight
                squares[head][position] += weight * weight
            }
            return weights
        }
    }

    /// The attended position of a row's softmaxed attention, normalised by the rows added so far.
    func attended(_ weights: [[Float]]) -> Int {
        guard !weights.isEmpty else { return 0 }
        var mean = [Float](repeating: 0, count: positions)
        let count = Float(rows)
        for (head, row) in weights.enumerated() {
            var normalised = [Float](repeating: 0, count: positions)
            for position in 0..<positions {
                let average = sums[head][position] / count
                let variance = max(0, squares[head][position] / count - average * average)
                normalised[position] = (row[position] - average) / max(variance.squareRoot(), 1e-6)
            }
            let filtered = WordAligner.medianFilter(normalised, width: 7)
            for position in 0..<positions { mean[position] += filtered[position] }
        }
        var best = 0
        for position in mean.indices where mean[position] > mean[best] { best = position }
        return best
    }
}
