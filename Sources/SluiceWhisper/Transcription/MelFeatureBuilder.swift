import SluiceAudio

/// Accumulates 16 kHz mono audio into log-mel frames, for `MelFeatures` at the end of the input.
public final class MelFeatureBuilder {
    private let spectrogram: LogMelSpectrogram
    private let mels: Int
    private var frames: [Float] = []
    private var energies: [Float] = []
    private var pending: [Float] = []  // samples of the hop not yet complete
    private var lastSample: Float = 0  // the sample before `pending`
    private var samples = 0

    public init(mels: Int) {
        self.mels = mels
        spectrogram = LogMelSpectrogram(nMels: mels)
    }

    /// Adds samples (16 kHz mono).
    public func push(_ audio: [Float]) {
        samples += audio.count
        frames += spectrogram.push(audio)
        pending += audio
        let complete = pending.count / LogMelSpectrogram.hop * LogMelSpectrogram.hop
        energies += SpeechActivity.frameEnergies(pending[0..<complete], hop: LogMelSpectrogram.hop, previous: lastSample)
        if complete > 0 { lastSample = pending[complete - 1] }
        pending.removeFirst(complete)
    }

    /// Pads as faster-whisper does (160 zero samples), computes the last frames and normalises.
    public func finish() -> MelFeatures {
        frames += spectrogram.push([Float](repeating: 0, count: LogMelSpectrogram.hop))
        frames += spectrogram.finish()
        WhisperMelNormalization.normalize(&frames)
        return MelFeatures(mels: mels, values: frames, energies: energies, samples: samples)
    }
}
