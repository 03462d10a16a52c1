import Foundation

/// What decoding one 30 s window produced.
public struct WindowResult: Sendable {
    /// Sampled tokens, timestamps included, end-of-text excluded.
    public var tokens: [Int]
    public var text: String
    /// Sum of the sampled tokens' log-probabilities / (tokens + 1), as the reference computes it.
    public var averageLogProbability: Double
    /// Probability of `<|nocaptions|>` at the start-of-transcript position.
    public var noSpeechProbability: Double
}

/// Greedy decoding of one window with the reference's rules (temperature 0).
public struct GreedyWindowDecoder: Sendable {
    public var model: WhisperModel
    public var withTimestamps = true
    /// Most tokens sampled per window (the reference's sample_len: text context / 2).
    public var maxTokens: Int

    public init(model: WhisperModel) {
        self.model = model
        maxTokens = model.config.textContext / 2
    }

    /// The start-of-transcript prompt: `<|startoftranscript|>` (English-only models), or with
    /// language and task tokens for multilingual ones.
    public func prompt(language: Int? = nil) -> [Int] {
        let tokens = model.tokens
        var prompt = [tokens.startOfTranscript]
        if tokens.isMultilingual { prompt += [language ?? tokens.startOfTranscript + 1, tokens.transcribe] }
        if !withTimestamps { prompt.append(tokens.noTimestamps) }
        return prompt
    }

    /// Decodes the window whose encoder output is `encoded`.
    public func decode(encoded: [Float], prompt: [Int]) -> WindowResult {
        let tokens = model.tokens
        let filters = LogitFilters(tokens: tokens, suppressed: model.suppressedTokens, suppressedAtBegin: model.suppressedAtBegin,
                                   maxInitialTimestampIndex: 50, withTimestamps: withTimestamps)
        var state = model.startDecoding(encoded: encoded)
        let sotRow = prompt.firstIndex(of: tokens.startOfTranscript) ?? 0
        let first = model.decode(prompt, state: &state, logitsFor: [sotRow, prompt.count - 1])
        let noSpeech = Double(exp(LogitFilters.logSoftmax(first[0])[tokens.noSpeech]))
        var logits = first[1]
        var sampled: [Int] = []
        var sumLogProbability = 0.0
        while sampled.count < maxTokens {
            filters.apply(to: &logits, sampled: sampled)
            let logProbabilities = LogitFilters.logSoftmax(logits)
            var next = 0
            for token in logits.indices where logits[token] > logits[next] { next = token }
            sumLogProbability += Double(logProbabilities[next])
            if next == tokens.endOfText { break }
            sampled.append(next)
            logits = model.decode([next], state: &state, logitsFor: [0])[0]
        }
        return WindowResult(tokens: sampled, text: model.tokenizer.decode(sampled),
                            averageLogProbability: sumLogProbability / Double(sampled.count + 1),
                            noSpeechProbability: noSpeech)
    }
}
