import SluiceAudio
import SluiceVAD

/// faster-whisper's `vad_filter`: Silero VAD finds the speech regions of an input, only they are joined and
/// transcribed, and the transcript's times are mapped back to the input's (`restore_speech_timestamps`).
///
/// The transcriber itself is unchanged: it is given the joined audio's features, and its segments (or
/// words) are restored one by one, so that output written segment by segment can restore them as they come.
public struct SpeechFilter: Sendable {
    public let network: SileroNetwork
    public var options: VADOptions

    public init(network: SileroNetwork, options: VADOptions = VADOptions()) {
        self.network = network
        self.options = options
    }

    /// The speech of 16 kHz mono `samples`, joined.
    public func speech(in samples: [Float]) -> SpeechOnlyAudio {
        let probabilities = SileroVADStream.probabilities(of: samples, network: network)
        let regions = SpeechTimestamps.regions(probabilities: probabilities, sampleCount: samples.count, options: options)
        return SpeechOnlyAudio(input: samples, regions: regions)
    }

    /// The speech of everything `reader` holds (any rate and channels: downmixed and resampled to 16 kHz).
    public func speech(in reader: any AudioReading) throws -> SpeechOnlyAudio {
        var samples: [Float] = []
        try MelFeatures.readMono16k(reader) { samples += $0 }
        return speech(in: samples)
    }
}

extension SpeechOnlyAudio {
    /// The features Whisper transcribes: those of the joined speech.
    public func features(mels: Int) -> MelFeatures { MelFeatures(samples: samples, mels: mels) }

    /// A segment of the joined audio's transcript with the input's times: its words each mapped through the
    /// region of the word's middle (segment start and end become the first and last word's), or without words
    /// its start and end mapped on their own.
    public func restoring(_ segment: TranscriptSegment) -> TranscriptSegment {
        var segment = segment
        if var words = segment.words, !words.isEmpty {
            for i in words.indices {
                let region = regionIndex(of: (words[i].start + words[i].end) / 2)
                words[i].start = originalTime(words[i].start, region: region)
                words[i].end = originalTime(words[i].end, region: region)
            }
            segment.start = words[0].start
            segment.end = words[words.count - 1].end
            segment.words = words
        } else {
            segment.start = originalTime(segment.start)
            segment.end = originalTime(segment.end, isEnd: true)
        }
        return segment
    }

    /// The joined audio's transcript with the input's times and duration.
    public func restoring(_ transcript: Transcript) -> Transcript {
        var restored = transcript
        restored.segments = transcript.segments.map(restoring)
        restored.duration = inputDuration
        return restored
    }
}
