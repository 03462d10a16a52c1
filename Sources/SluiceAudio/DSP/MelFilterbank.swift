import Foundation

/// Slaney-scale mel filters with Slaney area normalisation, as `librosa.filters.mel` (htk=False,
/// norm="slaney") computes them — the filters Whisper's `mel_filters.npz` holds.
public struct MelFilterbank: Sendable {
    public let mels: Int
    public let bins: Int
    /// Filter weights, mels × bins row-major.
    public let weights: [Float]
    /// For each filter, the range of bins with non-zero weight.
    public let support: [Range<Int>]

    /// Filters for an `fftSize`-point FFT at `sampleRate` Hz, from 0 Hz to Nyquist.
    public init(mels: Int, fftSize: Int, sampleRate: Double) {
        self.mels = mels
        bins = fftSize / 2 + 1
        let nyquist = sampleRate / 2
        let fftFrequencies = (0..<bins).map { Double($0) * sampleRate / Double(fftSize) }
        let lowest = Self.hertzToMel(0), highest = Self.hertzToMel(nyquist)
        let melPoints = (0..<(mels + 2)).map { lowest + (highest - lowest) * Double($0) / Double(mels + 1) }
        let edges = melPoints.map(Self.melToHertz)
        var weights = [Float](repeating: 0, count: mels * bins)
        var support: [Range<Int>] = []
        for filter in 0..<mels {
            let lowerWidth = edges[filter + 1] - edges[filter]
            let upperWidth = edges[filter + 2] - edges[filter + 1]
            let norm = 2 / (edges[filter + 2] - edges[filter])
            var first = bins, last = 0
            for bin in 0..<bins {
                let rising = (fftFrequencies[bin] - edges[filter]) / lowerWidth
                let falling = (edges[filter + 2] - fftFrequencies[bin]) / upperWidth
                let weight = max(0, min(rising, falling)) * norm
                if weight > 0 {
                    weights[filter * bins + bin] = Float(weight)
                    first = min(first, bin)
                    last = max(last, bin)
                }
            }
            support.append(first <= last ? first..<(last + 1) : 0..<0)
        }
        self.weights = weights
        self.support = support
    }

    /// Slaney's mel scale: linear below 1 kHz (3 mels per 200 Hz), logarithmic above.
    static func hertzToMel(_ hertz: Double) -> Double {
        let linearStep = 200.0 / 3, breakHertz = 1000.0, breakMel = breakHertz / linearStep
        let logStep = log(6.4) / 27
        return hertz >= breakHertz ? breakMel + log(hertz / breakHertz) / logStep : hertz / linearStep
    }

    static func melToHertz(_ mel: Double) -> Double {
        let linearStep = 200.0 / 3, breakHertz = 1000.0, breakMel = breakHertz / linearStep
        let logStep = log(6.4) / 27
        return mel >= breakMel ? breakHertz * exp(logStep * (mel - breakMel)) : mel * linearStep
    }
}
