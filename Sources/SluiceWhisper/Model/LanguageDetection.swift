import Foundation

extension WhisperModel {
    /// The most likely spoken language of a window (multilingual models): the language token with the
    /// highest probability after `<|startoftranscript|>`.
    public func detectLanguage(memory: CrossAttentionMemory) -> (code: String, probability: Double) {
        var caches = [emptyCache()]
        let logits = decode([[tokens.startOfTranscript]], caches: &caches, memory: memory, logitRows: [[0]]).logits[0]
        let candidates = WhisperLanguages.all.compactMap { language in languageToken(language.code).map { (language.code, $0) } }
        guard !candidates.isEmpty else { return ("en", 1) }
        let total = LogMath.logSumExp(candidates.map { logits[$0.1] }[...])
        let best = candidates.max { logits[$0.1] < logits[$1.1] }!
        return (best.0, Double(expf(logits[best.1] - total)))
    }
}
