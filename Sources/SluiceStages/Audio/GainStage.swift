import Foundation
import SluiceAudio
import SluiceCore

/// `audio.gain`: multiplies every sample by a gain in decibels.
final class GainStage: Stage {
    static let type = StageType(
        name: "audio.gain",
        summary: "Change the level of audio by a gain in dB.",
        options: options.specs,
        negotiate: { _, inputs in .audio(try AudioFormatRules.audio(inputs[0], needs: "audio")) },
        make: { options, inputs in GainStage(format: inputs[0], gainDB: GainStage.options.settings(options).value) })

    private static let options = OptionTable(
        defaults: SingleOption(0.0),
        [
            .number("gain_db", \.value, in: -120...60, required: true, help: "gain in decibels (negative attenuates)")
        ])

    let outputFormat: StreamFormat
    private let factor: Float

    init(format: StreamFormat, gainDB: Double) {
        outputFormat = format
        factor = Float(pow(10, gainDB / 20))
    }

    func process(_ packet: Packet, input: Int, emit: Emit) throws {
        var scaled = packet
        for index in scaled.data.indices { scaled.data[index] *= factor }
        try emit(scaled)
    }

    func finish(emit: Emit) throws {}
}
