import Foundation

/// Word timestamps from the cross-attention of the alignment heads, as CTranslate2's `align` and
/// faster-whisper's `add_word_timestamps` compute them.
///
/// 1. One decoder pass over `start sequence, <|notimestamps|>, text tokens, <|endoftext|>` captures the
///    alignment heads' cross-attention scores over the window's audio frames (frames / 2 positions).
/// 2. Softmax over those positions, z-normalise each head along the tokens, median filter of width 7
///    along time (reflect padding), mean over heads.
/// 3. Dynamic time warping of −weights (rows: text tokens and end-of-text) gives a monotonic path; a
///    word starts where the path first reaches its first token, and ends where the next word starts.
/// 4. Heuristics of the reference: cap long words at sentence ends, merge punctuation into words, and
///    reconcile segment bounds with the first and last word.
struct WordAligner {
    let model: WhisperModel
    let options: DecodingOptions

    /// A word before it is placed in time: its text, tokens, start, end and mean token probability.
    struct Timing {
        var word: String
        var tokens: [Int]
        var start: Double
        var end: Double
        var probability: Double
    }

    /// Fills `words` of each segment and adjusts segment bounds; `frames` is the window's content length.
    /// `windowStart` is the window's start in seconds. Words of the first `knownTokens` text tokens (text
    /// already final, forced as a prefix) are timed but not scored: their probability is 1.
    func addWords(
        to segments: inout [WindowSegment], memory: CrossAttentionMemory, startSequence: [Int], windowStart: Double,
        frames: Int, lastSpeechTime: Double, knownTokens: Int = 0
    ) {
        let endOfText = model.tokens.endOfText
        let textPerSegment = segments.map { $0.tokens.filter { $0 < endOfText } }
        let text = textPerSegment.flatMap { $0 }
        var alignment = align(text, memory: memory, startSequence: startSequence, frames: frames, knownTokens: knownTokens)

        let durations = alignment.map { $0.end - $0.start }.filter { $0 != 0 }
        let medianDuration = min(0.7, Self.median(durations))
        let maxDuration = medianDuration * 2
        if !durations.isEmpty {
            // Words at sentence boundaries are not longer than twice the median word duration.
            let sentenceEnds = ".。!！?？"
            for i in 1..<max(1, alignment.count) where alignment[i].end - alignment[i].start > maxDuration {
                if Self.isSubstring(alignment[i].word, of: sentenceEnds) {
                    alignment[i].end = alignment[i].start + maxDuration
                } else if Self.isSubstring(alignment[i - 1].word, of: sentenceEnds) {
                    alignment[i].start = alignment[i].end - maxDuration
                }
            }
        }
        Self.mergePunctuation(&alignment, prepended: options.prependPunctuations, appended: options.appendPunctuations)

        var lastSpeech = lastSpeechTime
        var wordIndex = 0
        for (index, textTokens) in textPerSegment.enumerated() {
            var saved = 0
            var words: [TranscriptWord] = []
            while wordIndex < alignment.count && saved < textTokens.count {
                let timing = alignment[wordIndex]
                if !timing.word.isEmpty {
                    words.append(
                        TranscriptWord(
                            word: timing.word, start: Self.round2(windowStart + timing.start),
                            end: Self.round2(windowStart + timing.end), probability: timing.probability))
                }
                saved += timing.tokens.count
                wordIndex += 1
            }
            if !words.isEmpty {
                // The first and second word after a pause are not longer than twice the median duration.
                if words[0].end - lastSpeech > medianDuration * 4
                    && (words[0].end - words[0].start > maxDuration || (words.count > 1 && words[1].end - words[0].start > maxDuration * 2))
                {
                    if words.count > 1 && words[1].end - words[1].start > maxDuration {
                        let boundary = max(words[1].end / 2, words[1].end - maxDuration)
                        words[0].end = boundary
                        words[1].start = boundary
                    }
                    words[0].start = max(0, words[0].end - maxDuration)
                }
                // Prefer the segment's start if the first word is too long, else start the segment at the word.
                if segments[index].start < words[0].end && segments[index].start - 0.5 > words[0].start {
                    words[0].start = max(0, min(words[0].end - medianDuration, segments[index].start))
                } else {
                    segments[index].start = words[0].start
                }
                // Likewise at the end.
                let last = words.count - 1
                if segments[index].end > words[last].start && segments[index].end + 0.5 < words[last].end {
                    words[last].end = max(words[last].start + medianDuration, segments[index].end)
                } else {
                    segments[index].end = words[last].end
                }
                lastSpeech = segments[index].end
            }
            segments[index].words = words
        }
    }

    /// Token-level alignment of `text` against the window, grouped into words (window-relative seconds).
    /// The first `knownTokens` tokens get probability 1: their logits (a vocabulary-sized product each) are
    /// not computed.
    func align(_ text: [Int], memory: CrossAttentionMemory, startSequence: [Int], frames: Int, knownTokens: Int = 0) -> [Timing] {
        let positions = frames / 2
        guard !text.isEmpty, positions > 0, !model.alignmentHeads.isEmpty else { return [] }
        let tokens = model.tokens
        let input = startSequence + [tokens.noTimestamps] + text + [tokens.endOfText]
        var caches = [model.emptyCache()]
        let known = min(knownTokens, text.count)
        // The row before each scored token predicts it.
        let scoredRows = Array((startSequence.count + known)..<(startSequence.count + text.count))
        let pass = model.decode([input], caches: &caches, memory: memory, logitRows: [scoredRows], capture: model.alignmentHeads)

        // Probability of each text token among text tokens only.
        let probabilities: [Double] =
            Array(repeating: 1, count: known)
            + pass.logits.enumerated().map { row, logits in
                let textLogits = logits[0..<tokens.endOfText]
                let total = LogMath.logSumExp(textLogits)
                return Double(expf(logits[text[known + row]] - total))
            }

        // Per head: softmax over the window's positions, then z-normalise along tokens, median filter along time.
        let rows = input.count
        var weights = [Float](repeating: 0, count: rows * positions)
        for scores in pass.attention.scores {
            var head = [Float](repeating: 0, count: rows * positions)
            for r in 0..<rows {
                let row = scores[(r * memory.positions)..<(r * memory.positions + positions)]
                let total = LogMath.logSumExp(row)
                for (t, value) in row.enumerated() { head[r * positions + t] = expf(value - total) }
            }
            for t in 0..<positions {
                var mean: Float = 0
                for r in 0..<rows { mean += head[r * positions + t] }
                mean /= Float(rows)
                var variance: Float = 0
                for r in 0..<rows { variance += (head[r * positions + t] - mean) * (head[r * positions + t] - mean) }
                let scale = 1 / (variance / Float(rows)).squareRoot()
                for r in 0..<rows { head[r * positions + t] = (head[r * positions + t] - mean) * scale }
            }
            for r in 0..<rows {
                let filtered = Self.medianFilter(Array(head[(r * positions)..<((r + 1) * positions)]), width: 7)
                for t in 0..<positions { weights[r * positions + t] += filtered[t] / Float(pass.attention.scores.count) }
            }
        }
        // Rows from <|notimestamps|> (predicting the first text token) to the last text token (predicting end-of-text).
        let first = startSequence.count
        let matrix = Array(weights[(first * positions)..<((first + text.count + 1) * positions)])
        let path = Self.negativeDTW(matrix, rows: text.count + 1, columns: positions)

        // Times where the path moves to a new token.
        var jumpTimes: [Double] = []
        var previousRow = -1
        for (row, column) in path where row != previousRow {
            jumpTimes.append(Double(column) / 50)
            previousRow = row
        }
        let words = model.tokenizer.splitIntoWords(text + [tokens.endOfText], language: options.language ?? "en")
        guard words.count > 1 else { return [] }
        var boundaries = [0]
        for word in words.dropLast() { boundaries.append(boundaries.last! + word.tokens.count) }
        return (0..<(boundaries.count - 1)).map { index in
            let from = boundaries[index], to = boundaries[index + 1]
            let probability = probabilities[from..<min(to, probabilities.count)].reduce(0, +) / Double(max(1, min(to, probabilities.count) - from))
            return Timing(word: words[index].word, tokens: words[index].tokens, start: jumpTimes[from], end: jumpTimes[to], probability: probability)
        }
    }

    /// The median of `values` (0 when empty), averaging the middle pair like NumPy.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Median filter with reflect padding (CTranslate2's `MedianFilter`); rows shorter than half the width pass through.
    static func medianFilter(_ x: [Float], width: Int) -> [Float] {
        let radius = width / 2, count = x.count
        guard count > radius else { return x }
        var window = [Float](repeating: 0, count: width)
        return (0..<count).map { j in
            for k in -radius...radius {
                var read = abs(j + k)
                if read >= count { read = count - (read - count) - 2 }
                window[k + radius] = x[read]
            }
            window.sort()
            return window[radius]
        }
    }

    /// Dynamic time warping that maximises the summed weights; returns the (row, column) path from (0, 0).
    static func negativeDTW(_ x: [Float], rows n: Int, columns m: Int) -> [(Int, Int)] {
        var cost = [Float](repeating: .infinity, count: (n + 1) * (m + 1))
        var trace = [Int8](repeating: -1, count: (n + 1) * (m + 1))
        cost[0] = 0
        for j in 1...m {
            for i in 1...n {
                let c0 = cost[(i - 1) * (m + 1) + j - 1], c1 = cost[(i - 1) * (m + 1) + j], c2 = cost[i * (m + 1) + j - 1]
                let (c, t): (Float, Int8) = c0 < c1 && c0 < c2 ? (c0, 0) : (c1 < c0 && c1 < c2 ? (c1, 1) : (c2, 2))
                cost[i * (m + 1) + j] = -x[(i - 1) * m + j - 1] + c
                trace[i * (m + 1) + j] = t
            }
        }
        for k in 0...m { trace[k] = 2 }
        for k in 0...n { trace[k * (m + 1)] = 1 }
        var path: [(Int, Int)] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            path.append((i - 1, j - 1))
            switch trace[i * (m + 1) + j] {
            case 0:
                i -= 1
                j -= 1
            case 1: i -= 1
            default: j -= 1
            }
        }
        return path.reversed()
    }

    /// Moves opening punctuation into the following word and closing punctuation into the preceding one.
    static func mergePunctuation(_ alignment: inout [Timing], prepended: String, appended: String) {
        guard alignment.count > 1 else { return }
        var i = alignment.count - 2, j = alignment.count - 1
        while i >= 0 {
            let previous = alignment[i]
            let stripped = previous.word.trimmingCharacters(in: .whitespaces)
            if previous.word.hasPrefix(" ") && isSubstring(stripped, of: prepended) {
                alignment[j].word = previous.word + alignment[j].word
                alignment[j].tokens = previous.tokens + alignment[j].tokens
                alignment[i].word = ""
                alignment[i].tokens = []
            } else {
                j = i
            }
            i -= 1
        }
        i = 0
        j = 1
        while j < alignment.count {
            let following = alignment[j]
            if !alignment[i].word.hasSuffix(" ") && isSubstring(following.word, of: appended) {
                alignment[i].word += following.word
                alignment[i].tokens += following.tokens
                alignment[j].word = ""
                alignment[j].tokens = []
            } else {
                i = j
            }
            j += 1
        }
    }

    /// Python's `a in b` for strings: a substring test that holds for the empty string.
    static func isSubstring(_ a: String, of b: String) -> Bool { a.isEmpty || b.contains(a) }

    /// Rounds to 2 decimals as Python's round(x, 2) does for these magnitudes.
    static func round2(_ x: Double) -> Double { (x * 100).rounded(.toNearestOrEven) / 100 }
}
