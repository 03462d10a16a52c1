// Stand-ins until the tokenizer branch lands (zlib compression ratio, special-token lookup).
enum TextCompression {
    static func ratio(_ text: String) -> Double { 1 }
}

extension Tokenizer {
    func token(for special: String) -> Int? { nil }
}

extension Tokenizer {
    func encode(_ text: String) -> [Int] { [] }
    func splitIntoWords(_ tokens: [Int], language: String) -> [(word: String, tokens: [Int])] {
        tokens.map { (decode([$0]), [$0]) }
    }
}

extension WhisperModel {
    func detectLanguage(memory: CrossAttentionMemory) -> (code: String, probability: Double) { ("en", 1) }
}

import Foundation
public enum TranscriptFormat: String, CaseIterable, Sendable {
    case txt, json, verboseJSON = "verbose_json", srt, vtt
    public var fileExtension: String { self == .verboseJSON ? "json" : rawValue }
    public func render(_ t: Transcript) -> String {
        let segments: [[String: Any]] = t.segments.map { s in
            var d: [String: Any] = ["id": s.id, "seek": s.seek, "start": s.start, "end": s.end, "text": s.text, "tokens": s.tokens,
                                    "temperature": s.temperature, "avg_logprob": s.averageLogProbability,
                                    "compression_ratio": s.compressionRatio, "no_speech_prob": s.noSpeechProbability]
            if let w = s.words { d["words"] = w.map { ["word": $0.word, "start": $0.start, "end": $0.end, "probability": $0.probability] } }
            return d
        }
        let object: [String: Any] = ["task": t.task, "language": t.language, "duration": t.duration, "text": t.text, "segments": segments]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }
}
