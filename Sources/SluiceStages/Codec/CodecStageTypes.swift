import SluiceCodec
import SluiceCore

/// The stage, input and output types this module registers.
public enum CodecStageTypes {
    public static let stages: [StageType] = [CodecEncodeStage.type, CodecDecodeStage.type]
    public static let sources: [SourceType] = [SlucInput.type]
    public static let sinks: [SinkType] = [SlucOutput.type]

    /// `model` of the codec stages.
    static let options = OptionTable(
        defaults: SingleOption("bundled"),
        [
            .string("model", \.value, help: "bundled (the model shipped with Sluice), or a folder with codec.json and codec.safetensors")
        ])

    /// The code format a model produces.
    static func codeFormat(_ config: CodecConfig) -> CodeFormat {
        CodeFormat(
            groups: config.groups, levels: config.levels, codebookSize: config.codebookSize,
            sampleRate: config.sampleRate, hop: config.hop)
    }

    /// Loads the model an option names; a failure is a configuration problem.
    static func model(_ options: OptionValues) throws -> CodecModel {
        do {
            return try CodecModel.load(Self.options.settings(options).value)
        } catch {
            throw OptionProblem("model: \(error)")
        }
    }
}

/// Packets carry codes as floats (exact below 2^24).
extension Packet {
    init(position: Int64, codes: [Int32], codesPerFrame: Int) {
        self.init(position: position, frames: codes.count / codesPerFrame, data: codes.map(Float.init))
    }

    var codes: [Int32] { data.map { Int32($0) } }
}
