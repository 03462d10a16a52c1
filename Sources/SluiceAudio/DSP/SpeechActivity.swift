import Foundation

/// A speech-activity gate on frame energies: speech is loud against the window's own background.
///
/// Whisper decodes text from silence and steady noise ("You", ". . ."), and its no-speech probability
/// does not always catch it. Speech rises and falls by tens of decibels between syllables and pauses;
/// silence is quiet and steady noise is flat. Energies are measured on the first difference
/// (x[n] − x[n−1]: a zero at DC and a +6 dB/octave tilt), which removes rumble and drifting
/// low-frequency noise while keeping speech's formants. A span counts
/// as speech when enough 10 ms frames stand above both an absolute floor and the span's background (a
/// low percentile of its frame energies) by a margin.
public struct SpeechActivity: Sendable {
    /// Frames quieter than this (dBFS) are never speech.
    public var floorDecibels: Float = -55
    /// Speech frames stand this far above the background.
    public var marginDecibels: Float = 12
    /// The background is this percentile of the span's frame energies.
    public var backgroundPercentile: Float = 0.05
    /// Seconds of speech frames a span needs.
    public var minimumSpeechSeconds: Double = 0.2

    public init() {}

    /// Energy (dBFS, mean square of the first difference) of each full hop of `samples`; the last partial hop
    /// is dropped. `previous` is the sample before `samples` (0 at the start of a stream).
    public static func frameEnergies(_ samples: ArraySlice<Float>, hop: Int, previous: Float) -> [Float] {
        let frames = samples.count / hop
        var last = previous
        return (0..<frames).map { frame in
            var sum: Float = 0
            let start = samples.startIndex + frame * hop
            for index in start..<(start + hop) {
                let emphasised = samples[index] - last
                sum += emphasised * emphasised
                last = samples[index]
            }
            return 10 * log10(max(sum / Float(hop), 1e-12))
        }
    }

    /// Whether `energies` (dBFS per frame, `framesPerSecond` of them a second) contain speech.
    public func containsSpeech(_ energies: ArraySlice<Float>, framesPerSecond: Double) -> Bool {
        guard !energies.isEmpty else { return false }
        return containsSpeech(energies, above: threshold(energies), framesPerSecond: framesPerSecond)
    }

    /// Whether `energies` end in `seconds` without speech, with the speech threshold of the whole span: a pause
    /// is quiet against the background of the speech around it. (The last `seconds` judged against their own
    /// background find a "pause" in continuous speech, whose quietest frames there are syllable gaps, not
    /// silence.) False when the span is not `seconds` longer than half a second.
    public func endsInPause(_ energies: ArraySlice<Float>, seconds: Double, framesPerSecond: Double) -> Bool {
        let pause = Int(seconds * framesPerSecond)
        guard energies.count > pause + Int(framesPerSecond / 2) else { return false }
        return !containsSpeech(energies.suffix(pause), above: threshold(energies), framesPerSecond: framesPerSecond)
    }

    /// The index (from the span's start) of the first frame of `energies` loud enough to be speech, nil without one.
    public func speechOnset(_ energies: ArraySlice<Float>) -> Int? {
        guard !energies.isEmpty else { return nil }
        let level = threshold(energies)
        return energies.firstIndex { $0 > level }.map { $0 - energies.startIndex }
    }

    /// The level (dBFS) a speech frame of `energies` exceeds: the floor, or the background plus the margin.
    func threshold(_ energies: ArraySlice<Float>) -> Float {
        let sorted = energies.sorted()
        let background = sorted[min(sorted.count - 1, Int(Float(sorted.count) * backgroundPercentile))]
        return max(floorDecibels, background + marginDecibels)
    }

    private func containsSpeech(_ energies: ArraySlice<Float>, above threshold: Float, framesPerSecond: Double) -> Bool {
        let loud = energies.reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
        return Double(loud) >= minimumSpeechSeconds * framesPerSecond
    }
}
