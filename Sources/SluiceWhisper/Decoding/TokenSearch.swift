import Foundation

/// One finished token sequence of a window.
struct Hypothesis: Sendable {
    /// Sampled tokens, timestamps included, end-of-text excluded.
    var tokens: [Int]
    /// Sum of the log-probabilities of every chosen token, end-of-text included.
    var logProbability: Double
}

/// Where a search starts: the decoder cache after the prompt (and forced prefix), and the logits for the
/// first token.
struct SearchStart {
    var cache: DecoderCache
    var logits: [Float]
    let memory: CrossAttentionMemory
    /// Most tokens to sample (CTranslate2: min(448 / 2, 448 − prompt tokens before the last)).
    let maxTokens: Int
    /// Tokens of this window forced before the search (already written text); the logit rules see them
    /// as sampled.
    var prefix: [Int] = []
    /// When every live hypothesis's tokens satisfy this (a loop, say), the search stops: it returns the best
    /// finished hypothesis, or else the leading live one as it is (the caller rejects such a result anyway,
    /// and decoding it to the token limit wastes seconds).
    var abandons: (([Int]) -> Bool)?
}

/// The token searches CTranslate2 runs for faster-whisper: greedy, beam and temperature sampling.
struct TokenSearch {
    let model: WhisperModel
    let filters: LogitFilters

    /// Greedy search: the most likely token at every step.
    func greedy(from start: SearchStart) throws -> Hypothesis {
        var caches = [start.cache]
        var logits = start.logits
        var tokens: [Int] = []
        var total = 0.0
        for step in 0..<start.maxTokens {
            filters.apply(to: &logits, sampled: start.prefix + tokens)
            let logProbabilities = LogMath.logSoftmax(logits)
            try DecodingFailure.check(logProbabilities, step: step)
            let next = argmax(logProbabilities)
            total += Double(logProbabilities[next])
            if next == model.tokens.endOfText { break }
            tokens.append(next)
            if step + 1 == start.maxTokens || start.abandons?(tokens) == true { break }
            logits = model.decode([[next]], caches: &caches, memory: start.memory, logitRows: [[0]]).logits[0]
        }
        return Hypothesis(tokens: tokens, logProbability: total)
    }

    /// `count` independent samples at `temperature`; returns the one with the best length-normalised score.
    func sample(
        from start: SearchStart, temperature: Float, count: Int, lengthPenalty: Float,
        generator: inout SplitMix64
    ) throws -> Hypothesis {
        var caches = Array(repeating: start.cache, count: count)
        var logits = Array(repeating: start.logits, count: count)
        var hypotheses = Array(repeating: Hypothesis(tokens: [], logProbability: 0), count: count)
        var alive = Array(0..<count)
        for step in 0..<start.maxTokens where !alive.isEmpty {
            var continuing: [Int] = []
            for index in alive {
                filters.apply(to: &logits[index], sampled: start.prefix + hypotheses[index].tokens)
                let logProbabilities = LogMath.logSoftmax(logits[index])
                try DecodingFailure.check(logProbabilities, step: step)
                let next = try draw(from: logProbabilities, temperature: temperature, generator: &generator)
                hypotheses[index].logProbability += Double(logProbabilities[next])
                if next == model.tokens.endOfText { continue }
                hypotheses[index].tokens.append(next)
                if step + 1 < start.maxTokens { continuing.append(index) }
            }
            alive = continuing
            guard !alive.isEmpty else { break }
            // Move the caches out so that each is uniquely referenced and grows in place.
            var stepCaches = alive.map { index in
                defer { caches[index] = DecoderCache(layers: 0) }
                return caches[index]
            }
            let output = model.decode(
                alive.map { [hypotheses[$0].tokens.last!] }, caches: &stepCaches, memory: start.memory,
                logitRows: Array(repeating: [0], count: alive.count))
            for (slot, index) in alive.enumerated() {
                caches[index] = stepCaches[slot]
                logits[index] = output.logits[slot]
            }
        }
        guard let result = best(hypotheses, lengthPenalty) else { throw DecodingFailure("no sample was drawn") }
        return result
    }

    /// CTranslate2's beam search: 2 × beam candidates per step; a candidate that ends the text is
    /// registered as a finished hypothesis and its place goes to the next unfinished candidate; the
    /// search stops when round(beam × patience) hypotheses have finished.
    func beam(from start: SearchStart, beamSize: Int, patience: Float, lengthPenalty: Float) throws -> Hypothesis {
        let candidatesPerStep = beamSize * 2
        let maxFinished = Int((Float(beamSize) * patience).rounded())
        let endOfText = model.tokens.endOfText
        var beams = [Hypothesis(tokens: [], logProbability: 0)]
        var caches = [start.cache]
        var logits = [start.logits]
        var finished: [Hypothesis] = []
        for step in 0..<start.maxTokens {
            let isLastStep = step + 1 == start.maxTokens
            // Every beam's continuations, scored by cumulative log-probability.
            var candidates: [(beam: Int, token: Int, score: Double)] = []
            for (index, hypothesis) in beams.enumerated() {
                filters.apply(to: &logits[index], sampled: start.prefix + hypothesis.tokens)
                let logProbabilities = LogMath.logSoftmax(logits[index])
                try DecodingFailure.check(logProbabilities, step: step)
                for token in topIndices(logProbabilities, count: candidatesPerStep) {
                    candidates.append((index, token, hypothesis.logProbability + Double(logProbabilities[token])))
                }
            }
            candidates.sort { $0.score > $1.score || ($0.score == $1.score && ($0.beam, $0.token) < ($1.beam, $1.token)) }
            candidates = Array(candidates.prefix(candidatesPerStep))

            var chosen: [(beam: Int, token: Int, score: Double)] = []
            var nextSecondary = beamSize
            for k in 0..<min(beamSize, candidates.count) {
                var pick = candidates[k]
                if pick.token == endOfText || isLastStep {
                    var tokens = beams[pick.beam].tokens
                    if pick.token != endOfText { tokens.append(pick.token) }
                    finished.append(Hypothesis(tokens: tokens, logProbability: pick.score))
                    if let replacement = (nextSecondary..<candidates.count).first(where: { candidates[$0].token != endOfText }) {
                        pick = candidates[replacement]
                        nextSecondary = replacement + 1
                    }
                }
                chosen.append(pick)
            }
            if isLastStep || finished.count >= maxFinished { break }
            guard !chosen.isEmpty else { throw DecodingFailure("the beam search has no live hypothesis at token \(step)") }

            // Each chosen continuation takes its parent's cache; only a parent with several children is
            // copied (once per extra child), the others grow in place.
            var remainingChildren = [Int](repeating: 0, count: caches.count)
            for pick in chosen { remainingChildren[pick.beam] += 1 }
            var nextCaches: [DecoderCache] = []
            for pick in chosen {
                remainingChildren[pick.beam] -= 1
                nextCaches.append(caches[pick.beam])
                if remainingChildren[pick.beam] == 0 { caches[pick.beam] = DecoderCache(layers: 0) }
            }
            beams = chosen.map { Hypothesis(tokens: beams[$0.beam].tokens + [$0.token], logProbability: $0.score) }
            if let abandons = start.abandons, beams.allSatisfy({ abandons($0.tokens) }) {
                return best(finished, lengthPenalty) ?? beams[0]
            }
            logits =
                model.decode(
                    chosen.map { [$0.token] }, caches: &nextCaches, memory: start.memory,
                    logitRows: Array(repeating: [0], count: chosen.count)
                ).logits
            caches = nextCaches
        }
        return best(finished, lengthPenalty) ?? Hypothesis(tokens: [], logProbability: -.infinity)
    }

    /// The hypothesis with the best ranking score, if any.
    private func best(_ hypotheses: [Hypothesis], _ lengthPenalty: Float) -> Hypothesis? {
        hypotheses.max { score($0, lengthPenalty) < score($1, lengthPenalty) }
    }

    /// The ranking score: log-probability / length^penalty.
    private func score(_ hypothesis: Hypothesis, _ lengthPenalty: Float) -> Double {
        hypothesis.logProbability / pow(Double(hypothesis.tokens.count), Double(lengthPenalty))
    }

    private func argmax(_ values: [Float]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }

    /// Indices of the `count` largest values, largest first.
    private func topIndices(_ values: [Float], count: Int) -> [Int] {
        var top: [Int] = []
        for index in values.indices where values[index] > -.infinity {
            if top.count == count {
                guard values[index] > values[top[count - 1]] else { continue }
                top.removeLast()
            }
            var position = top.count
            while position > 0 && values[top[position - 1]] < values[index] { position -= 1 }
            top.insert(index, at: position)
        }
        return top
    }

    /// Draws a token from softmax(logProbabilities / temperature).
    private func draw(from logProbabilities: [Float], temperature: Float, generator: inout SplitMix64) throws -> Int {
        let scaled = logProbabilities.map { $0 / temperature }
        let top = scaled.max() ?? 0
        let weights = scaled.map { Double(expf($0 - top)) }
        let total = weights.reduce(0, +)
        guard total > 0, total.isFinite else { throw DecodingFailure("the sampling weights sum to \(total), not a positive number") }
        var target = Double.random(in: 0..<total, using: &generator)
        for (index, weight) in weights.enumerated() where weight > 0 {
            target -= weight
            if target < 0 { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }
}

/// A small, fast, seedable random number generator (Vigna's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
