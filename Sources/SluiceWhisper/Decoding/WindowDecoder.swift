import Foundation

/// What decoding one 30 s window produced.
public struct WindowResult: Sendable {
    /// Sampled tokens, timestamps included, end-of-text excluded.
    public var tokens: [Int]
    /// Log-probability of the tokens and end-of-text / (tokens + 1), as faster-whisper reports it.
    public var averageLogProbability: Double
    /// Probability of `<|nospeech|>` at the start-of-transcript position.
    public var noSpeechProbability: Double
    /// The temperature of the accepted attempt.
    public var temperature: Float
    /// gzip compression ratio of the stripped text.
    public var compressionRatio: Double
}

/// Decodes one window with temperature fallback (faster-whisper's `generate_with_fallback`): retry at
/// the next temperature while the text is too repetitive or too unsure, unless the window is silence.
public struct WindowDecoder: Sendable {
    public let model: WhisperModel
    public let options: DecodingOptions
    let filters: LogitFilters

    public init(model: WhisperModel, options: DecodingOptions) {
        self.model = model
        self.options = options
        let tokens = model.tokens
        var suppressed = options.suppressTokens ?? model.nonSpeechTokens
        suppressed += [tokens.transcribe, tokens.translate, tokens.startOfTranscript, tokens.startOfPrevious, tokens.startOfLM, tokens.noSpeech]
        filters = LogitFilters(
            tokens: tokens, suppressed: Array(Set(suppressed)).sorted(),
            suppressedAtBegin: options.suppressBlank ? model.blankTokens : [],
            maxInitialTimestampIndex: Int((options.maxInitialTimestamp / SpecialTokens.timePrecision).rounded()),
            withTimestamps: !options.withoutTimestamps)
    }

    /// The start-of-transcript sequence: `<|startoftranscript|>`, then language and task on multilingual models.
    public func startSequence(language: String?) -> [Int] {
        let tokens = model.tokens
        var sequence = [tokens.startOfTranscript]
        if tokens.isMultilingual {
            sequence.append(language.flatMap(model.languageToken) ?? model.languageToken("en")!)
            sequence.append(options.task == .translate ? tokens.translate : tokens.transcribe)
        }
        return sequence
    }

    /// The whole prompt: previous text (at most 223 tokens) after `<|startofprev|>`, the start sequence,
    /// and `<|notimestamps|>` when decoding text only.
    public func prompt(previous: [Int], language: String?) -> [Int] {
        var prompt: [Int] = []
        if !previous.isEmpty {
            prompt.append(model.tokens.startOfPrevious)
            prompt += previous.suffix(model.config.textContext / 2 - 1)
        }
        prompt += startSequence(language: language)
        if options.withoutTimestamps { prompt.append(model.tokens.noTimestamps) }
        return prompt
    }

    /// The decoder run over `prompt` and the forced `prefix` in one pass: where every search starts.
    struct Prefill {
        /// The decoder cache after the last input token (in a one-sequence batch).
        var caches: [DecoderCache]
        /// Logits for the first token after the input.
        var logits: [Float]
        /// Probability of `<|nospeech|>` at the start-of-transcript position.
        var noSpeechProbability: Double
        /// Index of `<|startoftranscript|>` in the input.
        var startIndex: Int
        /// The captured heads' cross-attention over every input row.
        var attention: CrossAttentionCapture
    }

    /// Runs the decoder over `prompt + prefix` over the audio of `memory`, capturing the cross-attention of
    /// `capture` (layer, head) pairs.
    func prefill(memory: CrossAttentionMemory, prompt: [Int], prefix: [Int], capture: [(layer: Int, head: Int)] = []) -> Prefill {
        let tokens = model.tokens
        let startIndex = prompt.lastIndex(of: tokens.startOfTranscript) ?? 0
        let input = prompt + prefix
        var caches = [model.emptyCache()]
        let first = model.decode([input], caches: &caches, memory: memory, logitRows: [[startIndex, input.count - 1]], capture: capture)
        let noSpeech = Double(expf(first.logits[0][tokens.noSpeech] - LogMath.logSumExp(first.logits[0][...])))
        return Prefill(caches: caches, logits: first.logits[1], noSpeechProbability: noSpeech, startIndex: startIndex, attention: first.attention)
    }

    /// Decodes the window whose cross-attention memory is `memory`, after `prompt` and the forced `prefix`
    /// (text of this window already written, timestamps included: the result's tokens continue it), with at
    /// most `maxNewTokens` new tokens; the search stops early once every hypothesis it follows satisfies
    /// `abandons` (``SearchStart/abandons``).
    func decode(
        memory: CrossAttentionMemory, prompt: [Int], prefix: [Int] = [], maxNewTokens: Int = .max,
        abandons: (([Int]) -> Bool)? = nil, generator: inout SplitMix64
    ) throws -> WindowResult {
        let prefilled = prefill(memory: memory, prompt: prompt, prefix: prefix)
        let noSpeech = prefilled.noSpeechProbability
        let textContext = model.config.textContext
        let inputCount = prompt.count + prefix.count
        let start = SearchStart(
            cache: prefilled.caches[0], logits: prefilled.logits, memory: memory,
            maxTokens: max(0, min(maxNewTokens, textContext / 2 - prefix.count, textContext - (inputCount - 1))), prefix: prefix,
            abandons: abandons)
        let search = TokenSearch(model: model, filters: filters)

        var attempts: [WindowResult] = []
        var acceptable: [WindowResult] = []
        for temperature in options.temperatures {
            let hypothesis: Hypothesis
            if temperature > 0 {
                hypothesis = try search.sample(
                    from: start, temperature: temperature, count: options.bestOf,
                    lengthPenalty: options.lengthPenalty, generator: &generator)
            } else if options.beamSize > 1 {
                hypothesis = try search.beam(
                    from: start, beamSize: options.beamSize, patience: options.patience,
                    lengthPenalty: options.lengthPenalty)
            } else {
                hypothesis = try search.greedy(from: start)
            }
            let text = model.tokenizer.decode(hypothesis.tokens).trimmingCharacters(in: .whitespacesAndNewlines)
            let result = WindowResult(
                tokens: hypothesis.tokens,
                averageLogProbability: hypothesis.logProbability / Double(hypothesis.tokens.count + 1),
                noSpeechProbability: noSpeech, temperature: temperature,
                compressionRatio: compressionRatio(text))
            attempts.append(result)
            var needsFallback = false
            if let threshold = options.compressionRatioThreshold {
                if result.compressionRatio > threshold { needsFallback = true } else { acceptable.append(result) }
            }
            if let threshold = options.logProbThreshold, result.averageLogProbability < threshold {
                needsFallback = true
                if let silence = options.noSpeechThreshold, noSpeech > silence { needsFallback = false }
            }
            if !needsFallback { return result }
        }
        // Every attempt failed: keep the likeliest, with the last temperature tried.
        var best = (acceptable.isEmpty ? attempts : acceptable).max { $0.averageLogProbability < $1.averageLogProbability }!
        best.temperature = options.temperatures.last ?? 0
        return best
    }
}
