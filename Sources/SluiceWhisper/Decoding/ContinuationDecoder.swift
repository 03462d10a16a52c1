import Foundation

/// What `ContinuationDecoder` produced for one step: new text tokens after a forced prefix, and where in
/// the audio each token looked.
public struct Continuation: Sendable {
    /// New text tokens after the prefix (end-of-text excluded).
    public var tokens: [Int]
    /// Per new token: the encoder position (20 ms each) its alignment heads attend to most.
    public var attended: [Int]
    /// Per new token: its probability.
    public var probabilities: [Double]
    /// The model ended the text (end-of-text) rather than being stopped.
    public var ended: Bool
    /// Probability of `<|nospeech|>` after the start of transcript.
    public var noSpeechProbability: Double
}

/// Greedy decoding that continues a forced prefix of already written text — the decoding step of a
/// simultaneous policy (Simul-Whisper, SimulStreaming): the committed target is fed to the decoder rather
/// than regenerated, and each new token reports the audio position it attends to, so that a policy can
/// stop before a token that depends on audio not yet heard (AlignAtt).
///
/// The decoder input is `<|startofprev|> context`, the start sequence (language and task),
/// `<|notimestamps|>`, then the prefix. The attention of a token is that of the decoder row that predicts
/// it, read by `AttentionTracker`.
public struct ContinuationDecoder: Sendable {
    public let model: WhisperModel
    public let task: DecodingOptions.Task
    private let windowDecoder: WindowDecoder

    public init(model: WhisperModel, task: DecodingOptions.Task) {
        self.model = model
        self.task = task
        var options = DecodingOptions()
        options.task = task
        options.withoutTimestamps = true
        windowDecoder = WindowDecoder(model: model, options: options)
    }

    /// Continues `prefix` over the audio of `memory`, of which the first `positions` hold audio.
    /// - Parameters:
    ///   - context: earlier text (previous segments), given as `<|startofprev|>` prompt.
    ///   - maxNewTokens: at most this many new tokens.
    ///   - stopBefore: asked for each new token (its index among the new tokens, the token, its attended
    ///     position) before it is kept, end-of-text included; true stops decoding without it (and an
    ///     end-of-text so refused leaves `ended` false).
    public func continuation(
        memory: CrossAttentionMemory, positions: Int, language: String?, context: [Int], prefix: [Int],
        maxNewTokens: Int, stopBefore: (_ index: Int, _ token: Int, _ attended: Int) -> Bool = { _, _, _ in false }
    ) throws -> Continuation {
        let tokens = model.tokens
        let head = windowDecoder.prompt(previous: context, language: language)
        let inputCount = head.count + prefix.count
        let prefilled = windowDecoder.prefill(memory: memory, prompt: head, prefix: prefix, capture: model.alignmentHeads)
        var caches = prefilled.caches
        var tracker = AttentionTracker(heads: model.alignmentHeads.count, positions: positions, memoryPositions: memory.positions)
        // Every row from the start of transcript on is a token the normalisation sees; the last predicts the first new token.
        let weights = (prefilled.startIndex..<inputCount).map { tracker.add(prefilled.attention, row: $0) }
        var attended = weights.last.map { tracker.attended($0) } ?? 0
        var result = Continuation(tokens: [], attended: [], probabilities: [], ended: false, noSpeechProbability: prefilled.noSpeechProbability)
        var logits = prefilled.logits
        let budget = min(maxNewTokens, model.config.textContext - inputCount - 1)
        var sampled = prefix
        for index in 0..<max(0, budget) {
            windowDecoder.filters.apply(to: &logits, sampled: sampled)
            let logProbabilities = LogMath.logSoftmax(logits)
            try DecodingFailure.check(logProbabilities, step: index)
            var next = 0
            for token in logProbabilities.indices where logProbabilities[token] > logProbabilities[next] { next = token }
            if stopBefore(index, next, attended) { break }
            if next == tokens.endOfText {
                result.ended = true
                break
            }
            result.tokens.append(next)
            result.attended.append(attended)
            result.probabilities.append(Double(expf(logProbabilities[next])))
            sampled.append(next)
            guard index + 1 < budget else { break }
            let step = model.decode([[next]], caches: &caches, memory: memory, logitRows: [[0]], capture: model.alignmentHeads)
            logits = step.logits[0]
            attended = tracker.attended(tracker.add(step.attention, row: 0))
        }
        return result
    }
}
