import Foundation
import SluiceNN

/// Silero VAD v6's graph on float buffers: speech probabilities of 512-sample windows (32 ms at 16 kHz),
/// each seen with the 64 samples before it, the LSTM state carried from window to window.
///
/// Per window of 576 samples (64 of context, 512 new):
/// - STFT as the ONNX graph computes it: the window reflect-padded by 128 on the right (the left pad's
///   frame is dropped by the graph), four frames of 256 taps at hop 128 multiplied by the 258-row basis,
///   magnitude √(re² + im²) of 129 bins — 4 × 129.
/// - Four convolutions (kernel 3, padding 1; strides 1, 2, 2, 1) with ReLU: 4 × 129 → 4 × 128 → 2 × 64 →
///   1 × 64 → 1 × 128.
/// - One LSTM step (hidden 128), ReLU, a 128 → 1 projection and a sigmoid.
///
/// Everything up to the LSTM is independent per window, so windows go through it in batches (one matrix
/// product per layer); only the LSTM's recurrent product runs window by window.
public struct SileroNetwork: Sendable {
    public let weights: SileroWeights

    /// Samples a window adds, and the samples of the previous window it also sees.
    public static let windowSamples = 512
    public static let contextSamples = 64
    static let inputSamples = windowSamples + contextSamples  // 576
    static let frames = 4
    static let hop = 128

    public init(weights: SileroWeights) { self.weights = weights }

    /// The LSTM state between windows.
    public struct State: Sendable {
        var hidden = [Float](repeating: 0, count: SileroWeights.hidden)
        var cell = [Float](repeating: 0, count: SileroWeights.hidden)
        public init() {}
    }

    /// Speech probabilities of `count` windows in `inputs` (count × 576: context then window), in order,
    /// advancing `state`.
    public func probabilities(_ inputs: UnsafeBufferPointer<Float>, count: Int, state: inout State) -> [Float] {
        precondition(inputs.count >= count * Self.inputSamples, "probabilities: \(inputs.count) samples for \(count) windows")
        guard count > 0 else { return [] }
        let features = encode(inputs, count: count)  // count × 128
        // The LSTM's input product for all windows at once: count × 512.
        let gates = 4 * SileroWeights.hidden
        var projected = [Float](repeating: 0, count: count * gates)
        for window in 0..<count { projected.replaceSubrange((window * gates)..<((window + 1) * gates), with: weights.lstmBias) }
        projected.withUnsafeMutableBufferPointer { out in
            BLAS.sgemm(
                .none, .transposed, m: count, n: gates, k: SileroWeights.hidden, a: features, lda: SileroWeights.hidden,
                b: weights.lstmInput, ldb: SileroWeights.hidden, beta: 1, c: out.baseAddress!, ldc: gates)
        }
        var result = [Float](repeating: 0, count: count)
        projected.withUnsafeMutableBufferPointer { projected in
            for window in 0..<count {
                result[window] = step(projected.baseAddress! + window * gates, state: &state)
            }
        }
        return result
    }

    /// One LSTM step from the window's input gates (512, overwritten), then the decoder: the speech probability.
    private func step(_ gates: UnsafeMutablePointer<Float>, state: inout State) -> Float {
        let hidden = SileroWeights.hidden
        weights.lstmRecurrent.withUnsafeBufferPointer { recurrent in
            state.hidden.withUnsafeBufferPointer { h in
                for row in 0..<(4 * hidden) {
                    let weights = recurrent.baseAddress! + row * hidden
                    var sum: Float = 0
                    for i in 0..<hidden { sum += weights[i] * h[i] }
                    gates[row] += sum
                }
            }
        }
        var logit = weights.decoderBias
        for i in 0..<hidden {
            let input = Self.sigmoid(gates[i])
            let output = Self.sigmoid(gates[hidden + i])
            let forget = Self.sigmoid(gates[2 * hidden + i])
            let candidate = tanh(gates[3 * hidden + i])
            let cell = forget * state.cell[i] + input * candidate
            state.cell[i] = cell
            let h = output * tanh(cell)
            state.hidden[i] = h
            logit += weights.decoderWeight[i] * max(h, 0)
        }
        return Self.sigmoid(logit)
    }

    /// The encoder of `count` windows: count × 128 features.
    func encode(_ inputs: UnsafeBufferPointer<Float>, count: Int) -> [Float] {
        let taps = SileroWeights.taps, bins = SileroWeights.frequencies
        // Frames: (count · 4) × 256; frame j of a window covers its samples 128j ..< 128j + 256, those past
        // the end reflected (sample 576 + d is sample 574 − d).
        var frames = [Float](repeating: 0, count: count * Self.frames * taps)
        let last = Self.inputSamples - 1
        for window in 0..<count {
            let input = inputs.baseAddress! + window * Self.inputSamples
            for frame in 0..<Self.frames {
                let row = (window * Self.frames + frame) * taps
                for tap in 0..<taps {
                    let index = frame * Self.hop + tap
                    frames[row + tap] = input[index <= last ? index : 2 * last - index]
                }
            }
        }
        let rows = count * Self.frames
        var spectrum = [Float](repeating: 0, count: rows * 2 * bins)
        spectrum.withUnsafeMutableBufferPointer { out in
            BLAS.sgemm(
                .none, .transposed, m: rows, n: 2 * bins, k: taps, a: frames, lda: taps, b: weights.basis, ldb: taps,
                c: out.baseAddress!, ldc: 2 * bins)
        }
        var x = [Float](repeating: 0, count: rows * bins)  // (count · 4) × 129, time-major per window
        for row in 0..<rows {
            for bin in 0..<bins {
                let re = spectrum[row * 2 * bins + bin], im = spectrum[row * 2 * bins + bins + bin]
                x[row * bins + bin] = (re * re + im * im).squareRoot()
            }
        }
        var length = Self.frames
        for convolution in weights.convolutions {
            (x, length) = Self.convolve(x, windows: count, length: length, convolution)
        }
        precondition(length == 1, "the encoder ends with \(length) frames, expected 1")
        return x
    }

    /// A kernel-3, padding-1 convolution and ReLU over each window's frames.
    /// - Parameters: x (windows × length × inputs); returns windows × outLength × outputs.
    static func convolve(_ x: [Float], windows: Int, length: Int, _ layer: SileroWeights.Convolution) -> ([Float], Int) {
        let channels = layer.inputs
        let outLength = (length - 1) / layer.stride + 1
        // im2col: (windows · outLength) × (3 · channels), taps in order −1, 0, +1.
        var columns = [Float](repeating: 0, count: windows * outLength * 3 * channels)
        x.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { columns in
                for window in 0..<windows {
                    for t in 0..<outLength {
                        let row = columns.baseAddress! + (window * outLength + t) * 3 * channels
                        for k in 0..<3 {
                            let source = t * layer.stride + k - 1
                            guard source >= 0 && source < length else { continue }
                            (row + k * channels).update(from: x.baseAddress! + (window * length + source) * channels, count: channels)
                        }
                    }
                }
            }
        }
        let rows = windows * outLength
        var y = [Float](repeating: 0, count: rows * layer.outputs)
        for row in 0..<rows { y.replaceSubrange((row * layer.outputs)..<((row + 1) * layer.outputs), with: layer.bias) }
        y.withUnsafeMutableBufferPointer { out in
            BLAS.sgemm(
                .none, .transposed, m: rows, n: layer.outputs, k: 3 * channels, a: columns, lda: 3 * channels, b: layer.weight,
                ldb: 3 * channels, beta: 1, c: out.baseAddress!, ldc: layer.outputs)
            for i in 0..<out.count { out[i] = max(out[i], 0) }
        }
        return (y, outLength)
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
}
