import SluiceCore
import SluiceStages

extension StageRegistry {
    /// Every type shipped with Sluice.
    public static let standard = StageRegistry(
        stages: AudioStageTypes.stages + WhisperStageTypes.stages + SeriesStageTypes.stages + CodecStageTypes.stages
            + SimulStageTypes.stages,
        sources: AudioStageTypes.sources + SeriesStageTypes.sources + CodecStageTypes.sources,
        sinks: AudioStageTypes.sinks + [TextOutput.type] + SeriesStageTypes.sinks + CodecStageTypes.sinks)
}
