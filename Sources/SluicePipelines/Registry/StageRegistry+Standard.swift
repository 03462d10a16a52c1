import SluiceAudio
import SluiceCodec
import SluiceCore
import SluiceWhisper

extension StageRegistry {
    /// Every type shipped with Sluice.
    public static let standard = StageRegistry(
        stages: AudioStageTypes.stages + WhisperStageTypes.stages + CodecStageTypes.stages,
        sources: AudioStageTypes.sources + CodecStageTypes.sources,
        sinks: AudioStageTypes.sinks + CodecStageTypes.sinks + [TextOutput.type])
}
