import SluiceAudio
import SluiceCore
import SluiceWhisper

extension StageRegistry {
    /// Every type shipped with Sluice.
    public static let standard = StageRegistry(
        stages: AudioStageTypes.stages + WhisperStageTypes.stages,
        sources: AudioStageTypes.sources,
        sinks: AudioStageTypes.sinks + [TextOutput.type])
}
