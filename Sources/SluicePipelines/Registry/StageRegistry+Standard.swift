import SluiceAudio
import SluiceCore

extension StageRegistry {
    /// Every type shipped with Sluice.
    public static let standard = StageRegistry(
        stages: AudioStageTypes.stages,
        sources: AudioStageTypes.sources,
        sinks: AudioStageTypes.sinks)
}
