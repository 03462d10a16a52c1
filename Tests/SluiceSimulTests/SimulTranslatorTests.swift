import Foundation
import SluiceAudio
import SluiceTestSupport
import SluiceWhisper
import Testing

@testable import SluiceSimul

/// SimulTranslator on real speech with real weights (model-backed: Whisper base, `sluice models fetch base`).
@Suite struct SimulTranslatorTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whisper base, loaded once; fails with how to install it when it is absent.
    static func baseModel() throws -> WhisperModel {
        let store = ModelStore()
        guard store.isInstalled("base") else {
            throw ModelStoreError("model-backed test: base is not installed in \(store.root.path); run: sluice models fetch base")
        }
        return try LoadedModels.whisper("base", store: store)
    }

    /// Samples/speech-fr.wav (Common Voice, 16 kHz mono): "La parole est à madame Annie Le Houerou."
    static func frenchSpeech() throws -> [Float] {
        let reader = try AudioDecoder(path: packageRoot.appendingPathComponent("Samples/speech-fr.wav").path)
        var all: [Float] = [], chunk: [Float] = []
        while try reader.read(into: &chunk, maxFrames: 16000) > 0 { all += chunk }
        return all
    }

    /// Samples/speech-de-quiet.ogg (FLEURS, 16 kHz mono): a German sentence recorded quietly, 3.5–14.5 s.
    static func quietGermanSpeech() throws -> [Float] {
        let reader = try AudioDecoder(path: packageRoot.appendingPathComponent("Samples/speech-de-quiet.ogg").path)
        var all: [Float] = [], chunk: [Float] = []
        while try reader.read(into: &chunk, maxFrames: 16000) > 0 { all += chunk }
        return all
    }

    /// Feeds `samples` in 100 ms packets with fixed steps; returns every event.
    static func translate(_ samples: [Float], _ options: SimulOptions) throws -> [StreamEvent] {
        try translator(for: samples, options).events
    }

    /// The translator after the whole of `samples`, and its events.
    static func translator(for samples: [Float], _ options: SimulOptions) throws -> (translator: SimulTranslator, events: [StreamEvent]) {
        var options = options
        options.keepUp = false
        let translator = try SimulTranslator(model: try baseModel(), options: options)
        var events: [StreamEvent] = []
        for start in stride(from: 0, to: samples.count, by: 1600) {
            events += try translator.push(Array(samples[start..<min(samples.count, start + 1600)]))
        }
        return (translator, events + (try translator.finish()))
    }

    @Test(.needsModels("base"), arguments: SimulPolicy.Kind.allCases)
    func translatesFrenchSpeechToEnglishWhileItIsSpoken(policy: SimulPolicy.Kind) throws {
        let speech = try Self.frenchSpeech()
        var options = SimulOptions(policy: policy, latency: .medium)
        options.language = "fr"
        let events = try Self.translate(speech, options)
        let finals = events.filter { $0.kind == .final && $0.lane == .target }
        let text = finals.map(\.text).joined()
        #expect(text.contains("Annie"), "\(text)")
        #expect(text.hasPrefix(" The "), "\(text)")
        // Written in order, never past the audio read, and the first words before the end of the audio.
        #expect(events.map(\.audioEnd) == events.map(\.audioEnd).sorted())
        #expect(try #require(finals.first).audioEnd < Double(speech.count) / 16000)
        #expect(events.allSatisfy { $0.language == "fr" })
    }

    @Test(.needsModels("base")) func theSourceLaneTranscribesTheSpokenLanguage() throws {
        var options = SimulOptions(policy: .alignAtt, latency: .medium)
        options.language = "fr"
        options.sourceLane = true
        let events = try Self.translate(try Self.frenchSpeech(), options)
        let source = events.filter { $0.kind == .final && $0.lane == .source }.map(\.text).joined()
        #expect(source.lowercased().contains("la parole est"), "\(source)")
        // Each target write counts the source words written before it.
        let counts = events.filter { $0.lane == .target && $0.kind == .final }.compactMap(\.sourceWords)
        #expect(!counts.isEmpty && counts == counts.sorted())
    }

    /// Without a language, nothing is written before identification decides it (on this short clip base never
    /// hears French strongly and decides at its end; Benchmarks/simul-translate.sh reports identification on FLEURS).
    @Test(.needsModels("base")) func identifiesTheLanguageBeforeWritingAnything() throws {
        let speech = try Self.frenchSpeech()
        let (translator, events) = try Self.translator(for: speech, SimulOptions(policy: .alignAtt, latency: .low))
        let language = try #require(translator.language)
        #expect(events.allSatisfy { $0.language == language && $0.audioEnd >= 3 })
    }

    /// A quietly recorded sentence is translated whole: the speech gate took most of it for silence (the gate's
    /// floor was above its level, and a pause was judged against the last 0.8 s alone), so segments ended
    /// mid-sentence and the rest went unheard ("For the best view of Hong Kong ..." and nothing after 9 s).
    @Test(.needsModels("base")) func aQuietSentenceIsTranslatedToItsEnd() throws {
        let speech = try Self.quietGermanSpeech()
        let (translator, events) = try Self.translator(for: speech, SimulOptions())
        let finals = events.filter { $0.kind == .final && $0.lane == .target }
        let text = finals.map(\.text).joined()
        #expect(text.contains("Hong Kong") && text.contains("island"), "\(text)")
        #expect(finals.contains { $0.audioEnd > 12 }, "text for the sentence's end: \(finals.map(\.audioEnd))")
        // Identified as German on strong evidence, and said so in every event.
        #expect(translator.language == "de")
        let probability = try #require(translator.languageProbability)
        #expect(probability >= 0.8)
        #expect(events.allSatisfy { $0.language == "de" && $0.languageProbability == probability })
    }

    @Test(.needsModels("base")) func theLanguagesListRestrictsIdentification() throws {
        // The first 2.5 s of speech alone: base's own guesses there include French and Portuguese.
        let speech = Array(try Self.quietGermanSpeech()[(56_000)..<(96_000)])
        var options = SimulOptions()
        options.languages = ["de", "es"]
        let (translator, _) = try Self.translator(for: speech, options)
        #expect(translator.language == "de")
    }

    @Test(.needsModels("tiny.en")) func anEnglishOnlyModelCannotTranslate() throws {
        let store = ModelStore()
        guard store.isInstalled("tiny.en") else {
            throw ModelStoreError("model-backed test: tiny.en is not installed; run: sluice models fetch tiny.en")
        }
        let tiny = try LoadedModels.whisper("tiny.en", store: store)
        #expect(throws: SimulError.self) { try SimulTranslator(model: tiny, options: SimulOptions()) }
    }
}
