import Foundation

extension WhisperModel {
    /// The most likely spoken language of a window (multilingual models): the language token with the
    /// highest probability after `<|startoftranscript|>`.
    public func detectLanguage(memory: CrossAttentionMemory) -> (code: String, probability: Double) {
        let probabilities = languageProbabilities(memory: memory)
        guard let best = probabilities.max(by: { $0.value < $1.value }) else { return ("en", 1) }
        return (best.key, best.value)
    }

    /// The probability of each language (by code) after `<|startoftranscript|>`, among language tokens only;
    /// empty on English-only models.
    public func languageProbabilities(memory: CrossAttentionMemory) -> [String: Double] {
        let candidates = WhisperLanguages.all.compactMap { language in languageToken(language.code).map { (language.code, $0) } }
        guard !candidates.isEmpty else { return [:] }
        var caches = [emptyCache()]
        let logits = decode([[tokens.startOfTranscript]], caches: &caches, memory: memory, logitRows: [[0]]).logits[0]
        let total = LogMath.logSumExp(candidates.map { logits[$0.1] }[...])
        return Dictionary(uniqueKeysWithValues: candidates.map { ($0.0, Double(expf(logits[$0.1] - total))) })
    }
}
