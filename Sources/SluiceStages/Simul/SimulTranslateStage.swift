import Foundation
import SluiceAudio
import SluiceCore
import SluiceSimul
import SluiceWhisper

/// `simul.translate`: simultaneous translation of 16 kHz mono speech to English as it arrives; emits JSON
/// lines of source and target events (`SimulEvent`), `emitted_at` measured from the first audio packet.
final class SimulTranslateStage: Stage {
    static let type = StageType(
        name: "simul.translate",
        summary: "Simultaneous speech translation (AlignAtt, wait-k or LocalAgreement over Whisper): target text while the speaker talks.",
        options: SimulStageSettings.options.specs,
        negotiate: { options, inputs in
            try AudioFormatRules.requireMono16k(inputs[0])
            let settings = SimulStageSettings.options.settings(options)
            try WhisperStageOptions.check(model: settings.model, language: settings.translation.language)
            // Whisper's English-only models are named *.en (a directory of another name is checked on load).
            if settings.translation.task == .translate && URL(fileURLWithPath: settings.model).lastPathComponent.hasSuffix(".en") {
                throw OptionProblem("option 'model': \(settings.model) is English-only; translation needs a multilingual model (base)")
            }
            return .text(TextFormat(kind: settings.format.rawValue))
        },
        make: { options, _ in try SimulTranslateStage(settings: SimulStageSettings.options.settings(options)) })

    let outputFormat: StreamFormat
    private let translator: SimulTranslator
    private var renderer: SimulTextFormat.Renderer
    private var started: ContinuousClock.Instant?
    private var position: Int64 = 0

    init(settings: SimulStageSettings) throws {
        outputFormat = .text(TextFormat(kind: settings.format.rawValue))
        renderer = SimulTextFormat.Renderer(format: settings.format)
        translator = try SimulTranslator(model: try LoadedModels.whisper(settings.model), options: settings.translator)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        if started == nil { started = .now }
        try send(translator.push(packet.data), emit: emit)
    }

    func finish(emit: Emit) throws {
        try send(translator.finish(), emit: emit)
        try send(renderer.finish(), emit: emit)
    }

    private func send(_ events: [SimulEvent], emit: Emit) throws {
        guard !events.isEmpty else { return }
        let seconds = (started ?? .now).duration(to: .now).seconds
        try send(events.compactMap { renderer.render($0, emittedAt: seconds) }, emit: emit)
    }

    private func send(_ records: [String], emit: Emit) throws {
        guard !records.isEmpty else { return }
        try emit(Packet(position: position, text: records))
        position += Int64(records.count)
    }
}

/// The stage types of this module.
public enum SimulStageTypes {
    public static let stages: [StageType] = [SimulTranslateStage.type]
}
