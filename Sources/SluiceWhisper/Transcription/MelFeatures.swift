import SluiceAudio

/// The normalised log-mel features of a whole input, as faster-whisper computes them for transcription.
///
/// - Audio is downmixed to mono and resampled to 16 kHz, then 160 zero samples are appended before
///   the STFT (faster-whisper's `padding=160`), so N samples give N / 160 + 1 frames of which the first
///   N / 160 are content; normalisation uses the maximum over all of them.
/// - Memory: the frames only (80 floats per 10 ms, 19 MB per 10 minutes); samples are not kept.
public struct MelFeatures: Sendable {
    public let mels: Int
    /// frames × mels, normalised.
    public let values: [Float]
    /// Frames that hold audio (the last computed frame is padding).
    public let contentFrames: Int
    /// Energy (dBFS) of each content frame's 160 samples, for the speech-activity gate.
    public let energies: [Float]
    /// Seconds of audio.
    public var duration: Double { Double(samples) / 16000 }
    let samples: Int

    /// Reads all of `reader` (any rate and channels) and computes its features.
    public static func read(_ reader: any AudioReading, mels: Int) throws -> MelFeatures {
        let builder = MelFeatureBuilder(mels: mels)
        try readMono16k(reader, into: builder.push)
        return builder.finish()
    }

    /// Reads all of `reader`, handing its audio downmixed to mono and resampled to 16 kHz to `consume`, chunk by chunk.
    public static func readMono16k(_ reader: any AudioReading, into consume: ([Float]) -> Void) throws {
        let resampler = reader.sampleRate == 16000 ? nil : try Resampler(inputRate: Double(reader.sampleRate), outputRate: 16000, channels: 1)
        var buffer: [Float] = []
        while true {
            let frames = try reader.read(into: &buffer, maxFrames: 65536)
            guard frames > 0 else { break }
            let chunk = Array(buffer[0..<(frames * reader.channels)])
            let mono = reader.channels > 1 ? Downmix.toMono(chunk, channels: reader.channels) : chunk
            consume(resampler?.process(mono) ?? mono)
        }
        if let tail = resampler?.flush() { consume(tail) }
    }

    /// Reads the audio file at `path` (whatever `AudioDecoder` reads: WAV, FLAC, MP3, M4A, …) and computes its features.
    public static func read(path: String, mels: Int) throws -> MelFeatures {
        try read(AudioDecoder(path: path), mels: mels)
    }

    /// Features of 16 kHz mono samples already in memory.
    public init(samples audio: [Float], mels: Int) {
        let builder = MelFeatureBuilder(mels: mels)
        builder.push(audio)
        self = builder.finish()
    }

    init(mels: Int, values: [Float], energies: [Float], samples: Int) {
        self.mels = mels
        self.values = values
        self.energies = energies
        self.samples = samples
        contentFrames = samples / LogMelSpectrogram.hop
    }

    /// The window of `count` frames from `start` as the encoder takes it: mels × `total` frames, zero-padded.
    public func window(start: Int, count: Int, total: Int) -> [Float] {
        var window = [Float](repeating: 0, count: mels * total)
        let available = max(0, min(count, values.count / mels - start))
        values.withUnsafeBufferPointer { frames in
            for t in 0..<available {
                for m in 0..<mels { window[m * total + t] = frames[(start + t) * mels + m] }
            }
        }
        return window
    }
}
