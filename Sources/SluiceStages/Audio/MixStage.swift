import SluiceAudio
import SluiceCore

/// `audio.mix`: mixes several audio streams of the same format sample by sample (fan-in).
///
/// - Each input is buffered until every input has those frames; an input that ends early counts as
///   silence for the rest of the others.
/// - Memory is bounded by the queues upstream: an input can only run ahead by what its branch holds.
final class MixStage: Stage {
    static let type = StageType(
        name: "audio.mix",
        summary: "Mix 2 to 8 audio streams of the same rate and channels (average, or sum).",
        options: options.specs,
        inputCount: 2...8,
        negotiate: { _, inputs in try outputFormat(inputs) },
        make: { options, inputs in try MixStage(inputs: inputs, average: MixStage.options.settings(options).value == .average) })

    /// How inputs combine.
    enum Mode: String, Sendable, CaseIterable { case average, sum }

    private static let options = OptionTable(
        defaults: SingleOption(Mode.average),
        [
            .choice("mode", \.value, help: "average divides by the number of inputs; sum adds them")
        ])

    let outputFormat: StreamFormat
    private let channels: Int
    private let scale: Float
    private var pending: [[Float]]
    private var position: Int64 = 0

    init(inputs: [StreamFormat], average: Bool) throws {
        outputFormat = try Self.outputFormat(inputs)
        guard case .audio(let audio) = outputFormat, let channels = audio.channels else {
            throw FormatMismatch("needs audio with a known channel count")
        }
        self.channels = channels
        scale = average ? 1 / Float(inputs.count) : 1
        pending = Array(repeating: [], count: inputs.count)
    }

    private static func outputFormat(_ inputs: [StreamFormat]) throws -> StreamFormat {
        let first = try AudioFormatRules.audio(inputs[0], needs: "audio")
        for format in inputs.dropFirst() where format != inputs[0] {
            throw FormatMismatch(
                "needs inputs of one format, gets \(inputs.map(\.description).joined(separator: " and "))",
                suggestedConverter: "{ type: audio.resample, sample_rate_hz: \(first.sampleRate ?? 16000) } on the odd input")
        }
        return .audio(first)
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        pending[input].append(contentsOf: packet.data)
        try mix(count: pending.map(\.count).min()!, emit: emit)
    }

    func finish(emit: Emit) throws {
        try mix(count: pending.map(\.count).max()!, emit: emit)
    }

    /// Mixes and emits the first `count` values of every input (missing values are silence).
    private func mix(count: Int, emit: Emit) throws {
        guard count > 0 else { return }
        var output = [Float](repeating: 0, count: count)
        for index in pending.indices {
            let available = min(count, pending[index].count)
            for i in 0..<available { output[i] += pending[index][i] }
            pending[index].removeFirst(available)
        }
        if scale != 1 { for i in output.indices { output[i] *= scale } }
        let frames = count / channels
        try emit(Packet(position: position, frames: frames, data: output))
        position += Int64(frames)
    }
}
