import SluiceAudio
import SluiceCore

/// The stage, input and output types this module registers.
public enum AudioStageTypes {
    public static let stages: [StageType] = [ResampleStage.type, GainStage.type, MixStage.type, LogMelStage.type]
    public static let sources: [SourceType] = [AudioInput.type]
    public static let sinks: [SinkType] = [AudioOutput.type, NpyOutput.type]
}
