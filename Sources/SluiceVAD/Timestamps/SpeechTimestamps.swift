/// A region of speech, in samples of the 16 kHz input: start ..< end.
public struct SpeechRegion: Sendable, Equatable, Codable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// Speech regions from Silero's window probabilities, as faster-whisper's `get_speech_timestamps` finds
/// them: hysteresis between two thresholds, a region ends after `minSilenceDurationMs` of silence, long
/// regions are split, short ones dropped, and each is padded by `speechPadMs` (half the gap when two
/// padded regions would overlap). Pure: probabilities in, regions out.
public enum SpeechTimestamps {
    /// The regions of an input of `sampleCount` samples (16 kHz) whose 512-sample windows have
    /// `probabilities`.
    public static func regions(probabilities: [Float], sampleCount: Int, options: VADOptions = VADOptions()) -> [SpeechRegion] {
        let rate = 16000.0
        let window = SileroNetwork.windowSamples
        let minSpeechSamples = rate * Double(options.minSpeechDurationMs) / 1000
        let speechPadSamples = rate * Double(options.speechPadMs) / 1000
        let maxSpeechSamples = rate * options.maxSpeechDurationSeconds - Double(window) - 2 * speechPadSamples
        let minSilenceSamples = rate * Double(options.minSilenceDurationMs) / 1000
        let minSilenceSamplesAtMaxSpeech = rate * 98 / 1000
        let threshold = options.threshold
        let negativeThreshold = options.negativeThreshold ?? max(threshold - 0.15, 0.01)

        var triggered = false
        var speeches: [SpeechRegion] = []
        var currentStart: Int?  // the region being built (faster-whisper's current_speech)
        var temporaryEnd = 0  // a possible end, while silence lasts
        var previousEnd = 0, nextStart = 0  // where to split a region that grows too long

        for (i, probability) in probabilities.enumerated() {
            let p = Double(probability)
            let position = window * i
            if p >= threshold && temporaryEnd != 0 {
                temporaryEnd = 0
                if nextStart < previousEnd { nextStart = position }
            }
            if p >= threshold && !triggered {
                triggered = true
                currentStart = position
                continue
            }
            if triggered, let start = currentStart, Double(position - start) > maxSpeechSamples {
                if previousEnd != 0 {
                    speeches.append(SpeechRegion(start: start, end: previousEnd))
                    currentStart = nil
                    if nextStart < previousEnd {
                        triggered = false
                    } else {
                        currentStart = nextStart
                    }
                    previousEnd = 0
                    nextStart = 0
                    temporaryEnd = 0
                } else {
                    speeches.append(SpeechRegion(start: start, end: position))
                    currentStart = nil
                    previousEnd = 0
                    nextStart = 0
                    temporaryEnd = 0
                    triggered = false
                    continue
                }
            }
            if p < negativeThreshold && triggered {
                if temporaryEnd == 0 { temporaryEnd = position }
                if Double(position - temporaryEnd) > minSilenceSamplesAtMaxSpeech { previousEnd = temporaryEnd }
                if Double(position - temporaryEnd) < minSilenceSamples { continue }
                if let start = currentStart, Double(temporaryEnd - start) > minSpeechSamples {
                    speeches.append(SpeechRegion(start: start, end: temporaryEnd))
                }
                currentStart = nil
                previousEnd = 0
                nextStart = 0
                temporaryEnd = 0
                triggered = false
                continue
            }
        }
        if let start = currentStart, Double(sampleCount - start) > minSpeechSamples {
            speeches.append(SpeechRegion(start: start, end: sampleCount))
        }
        pad(&speeches, by: speechPadSamples, sampleCount: sampleCount)
        return speeches
    }

    /// Pads each region by `padding` samples, or by half the gap when the gap is shorter than two paddings.
    static func pad(_ speeches: inout [SpeechRegion], by padding: Double, sampleCount: Int) {
        for i in speeches.indices {
            if i == 0 { speeches[i].start = Int(max(0, Double(speeches[i].start) - padding)) }
            if i != speeches.count - 1 {
                let silence = speeches[i + 1].start - speeches[i].end
                if Double(silence) < 2 * padding {
                    speeches[i].end += silence / 2
                    speeches[i + 1].start = max(0, speeches[i + 1].start - silence / 2)
                } else {
                    speeches[i].end = Int(min(Double(sampleCount), Double(speeches[i].end) + padding))
                    speeches[i + 1].start = Int(max(0, Double(speeches[i + 1].start) - padding))
                }
            } else {
                speeches[i].end = Int(min(Double(sampleCount), Double(speeches[i].end) + padding))
            }
        }
    }
}
