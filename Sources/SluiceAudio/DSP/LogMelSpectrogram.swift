import Foundation
import SluiceFFT

/// Whisper's log-mel front end, streaming: 16 kHz mono in, log10 mel frames out.
///
/// - As `whisper.audio.log_mel_spectrogram`: n_fft 400, hop 160, periodic Hann window, centred frames
///   with reflect padding of 200 samples at both ends, power spectrum, Slaney mel filters, log10 of
///   max(x, 1e-10). The last STFT frame is dropped, so N samples give N / 160 frames.
/// - `push` returns the frames complete so far; `finish` adds the right-edge padding and returns the
///   rest. Any chunking gives the same frames as one call. Memory: the last 400 samples.
/// - Normalisation is separate (`WhisperMelNormalization`) because it needs a maximum over a span.
/// - Inputs shorter than 201 samples: the reference cannot reflect-pad them (it raises); here the
///   padding reflects what exists and uses zeros beyond it.
public final class LogMelSpectrogram {
    public static let fftSize = 400
    public static let hop = 160
    static let pad = 200

    public let filterbank: MelFilterbank
    private let window: [Float]
    private let fft: RealFFT
    private var padded: [Float] = []  // padded signal from `paddedStart` on
    private var paddedStart = 0
    private var nextFrame = 0
    private var head: [Float] = []  // the first samples, until the left padding can be built
    private var started = false
    private var tail: [Float] = []  // the last 201 input samples, for the right padding
    private var inputCount = 0
    private var power: [Float]

    public init(nMels: Int = 80) {
        filterbank = MelFilterbank(mels: nMels, fftSize: Self.fftSize, sampleRate: 16000)
        window = (0..<Self.fftSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(Self.fftSize))) }
        fft = RealFFT(size: Self.fftSize)
        power = [Float](repeating: 0, count: Self.fftSize / 2 + 1)
    }

    /// Adds samples; returns the complete frames (frames × mels, log10) they make.
    public func push(_ samples: [Float]) -> [Float] {
        inputCount += samples.count
        tail.append(contentsOf: samples)
        if tail.count > 2 * (Self.pad + 1) { tail.removeFirst(tail.count - (Self.pad + 1)) }
        if !started {
            head.append(contentsOf: samples)
            guard head.count > Self.pad else { return [] }
            started = true
            padded = Self.reflectedPrefix(head) + head
            head = []
        } else {
            padded.append(contentsOf: samples)
        }
        return frames(upTo: Int.max)
    }

    /// Ends the stream: pads the right edge and returns the remaining frames.
    public func finish() -> [Float] {
        if !started {
            padded = Self.reflectedPrefix(head) + head
            started = true
        }
        let last = Array(tail.suffix(Self.pad + 1))
        padded.append(contentsOf: (0..<Self.pad).map { last.count >= $0 + 2 ? last[last.count - 2 - $0] : 0 })
        return frames(upTo: inputCount / Self.hop)
    }

    /// Computes frames while their 400 padded samples are present and the index is below `limit`.
    private func frames(upTo limit: Int) -> [Float] {
        let mels = filterbank.mels
        var output: [Float] = []
        while nextFrame < limit {
            let start = nextFrame * Self.hop - paddedStart
            guard start + Self.fftSize <= padded.count else { break }
            padded.withUnsafeBufferPointer { signal in
                fft.powerSpectrum(of: UnsafeBufferPointer(rebasing: signal[start..<(start + Self.fftSize)]), window: window, into: &power)
            }
            for filter in 0..<mels {
                var sum: Float = 0
                let row = filter * filterbank.bins
                for bin in filterbank.support[filter] { sum += filterbank.weights[row + bin] * power[bin] }
                output.append(log10(max(sum, 1e-10)))
            }
            nextFrame += 1
        }
        // Keep only what later frames need.
        let keepFrom = nextFrame * Self.hop - paddedStart
        if keepFrom > 4096 {
            padded.removeFirst(keepFrom)
            paddedStart += keepFrom
        }
        return output
    }

    /// The 200 samples before the signal: x[200], x[199], …, x[1] (zeros where the input is shorter).
    private static func reflectedPrefix(_ head: [Float]) -> [Float] {
        (0..<pad).map { index in
            let source = pad - index
            return source < head.count ? head[source] : 0
        }
    }
}

/// Whisper's normalisation of log10 mel values: floor at (max − 8), then (x + 4) / 4.
public enum WhisperMelNormalization {
    /// Normalises `values` in place using their own maximum (the reference uses the whole input).
    public static func normalize(_ values: inout [Float]) {
        guard let top = values.max() else { return }
        let floor = top - 8
        for index in values.indices { values[index] = (max(values[index], floor) + 4) / 4 }
    }
}
