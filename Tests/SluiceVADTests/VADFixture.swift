import Foundation
import SluiceAudio
import SluiceVAD
import SluiceWhisper

/// The golden fixture of Fixtures/make_fixture.py (faster-whisper 1.2.1 on onnxruntime) and the installed model.
struct VADGolden: Decodable {
    struct Options: Decodable {
        var threshold: Double?
        var neg_threshold: Double?
        var min_speech_duration_ms: Int?
        var max_speech_duration_s: Double?
        var min_silence_duration_ms: Int?
        var speech_pad_ms: Int?

        var vadOptions: VADOptions {
            var options = VADOptions()
            if let threshold { options.threshold = threshold }
            options.negativeThreshold = neg_threshold
            if let min_speech_duration_ms { options.minSpeechDurationMs = min_speech_duration_ms }
            if let max_speech_duration_s { options.maxSpeechDurationSeconds = max_speech_duration_s }
            if let min_silence_duration_ms { options.minSilenceDurationMs = min_silence_duration_ms }
            if let speech_pad_ms { options.speechPadMs = speech_pad_ms }
            return options
        }
    }

    struct InputRegions: Decodable {
        var options: Options
        var regions: [[Int]]
    }

    struct Synthetic: Decodable {
        var probabilities: [Float]
        var sample_count: Int
        var options: Options
        var regions: [[Int]]
    }

    struct Map: Decodable {
        var chunks: [[Int]]
        var times: [Double]
        var starts: [Double]
        var ends: [Double]
    }

    var sample_count: Int
    var probabilities: [Float]
    var input_regions: [InputRegions]
    var synthetic: [Synthetic]
    var maps: [Map]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load() throws -> VADGolden {
        try JSONDecoder().decode(Self.self, from: Data(contentsOf: folder.appendingPathComponent("vad-golden.json")))
    }

    /// The fixture's 8 s of 16 kHz audio.
    static func samples() throws -> [Float] {
        let reader = try AudioDecoder(path: folder.appendingPathComponent("vad-input.wav").path)
        var samples: [Float] = []
        try MelFeatures.readMono16k(reader) { samples += $0 }
        return samples
    }

    /// The installed Silero VAD (`sluice models fetch silero-vad`).
    static func network() throws -> SileroNetwork { try LoadedModels.sileroVAD() }
}

extension [[Int]] {
    var regions: [SpeechRegion] { map { SpeechRegion(start: $0[0], end: $0[1]) } }
}
