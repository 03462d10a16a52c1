import SluiceNN

/// A causal convolution over frames of frame-major activations ([frames × channels]), one matrix product per
/// call: each output frame sees its own input frame and the kernel − 1 before it, carried across calls as state.
///
/// The weights are reordered at load time from PyTorch's [out, in, kernel] to [out, kernel, in], so that the
/// im2col row of frame t is the contiguous run of padded input frames t ..< t + kernel.
struct FrameConv: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    /// [outChannels × (kernel · inChannels)]
    let weight: Tensor
    /// [outChannels]
    let bias: Tensor

    /// weight: PyTorch's Conv1d weight [out, in, kernel]; bias [out].
    init(weight: Tensor, bias: Tensor) throws {
        guard weight.shape.count == 3, bias.shape == [weight.shape[0]] else {
            throw ModelFileError("conv weight \(weight.shape) with bias \(bias.shape): expected [out, in, k] and [out]")
        }
        (outChannels, inChannels, kernel) = (weight.shape[0], weight.shape[1], weight.shape[2])
        var reordered = [Float](repeating: 0, count: weight.count)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                for j in 0..<kernel {
                    reordered[(o * kernel + j) * inChannels + c] = weight.values[(o * inChannels + c) * kernel + j]
                }
            }
        }
        self.weight = Tensor(shape: [outChannels, kernel * inChannels], values: reordered)
        self.bias = bias
    }

    /// Zeroed state for a new stream: the kernel − 1 frames before the first, [(kernel − 1) × inChannels].
    func initialState() -> [Float] { [Float](repeating: 0, count: (kernel - 1) * inChannels) }

    /// x [frames × inChannels] → [frames × outChannels]; updates `state`.
    func callAsFunction(_ x: [Float], frames: Int, state: inout [Float]) -> [Float] {
        guard frames > 0 else { return [] }
        // [(kernel − 1 + frames) × inChannels]: the carried frames, then the new ones.
        let padded = state + x
        state = Array(padded[(frames * inChannels)...])
        let width = kernel * inChannels
        var columns = [Float](repeating: 0, count: frames * width)
        columns.withUnsafeMutableBufferPointer { columns in
            padded.withUnsafeBufferPointer { padded in
                for t in 0..<frames {
                    (columns.baseAddress! + t * width).update(from: padded.baseAddress! + t * inChannels, count: width)
                }
            }
        }
        return Ops.linear(columns, rows: frames, weight: weight, bias: bias)
    }
}

/// A causal depthwise convolution over frames ([frames × channels]): each channel convolved with its own kernel
/// over its current and kernel − 1 past values.
struct FrameDepthwiseConv: Sendable {
    let channels: Int
    let kernel: Int
    /// [kernel × channels], transposed from PyTorch's [channels, 1, kernel] so the inner loop runs over channels.
    let weight: [Float]
    /// [channels]
    let bias: [Float]

    init(weight: Tensor, bias: Tensor) throws {
        guard weight.shape.count == 3, weight.shape[1] == 1, bias.shape == [weight.shape[0]] else {
            throw ModelFileError("depthwise conv weight \(weight.shape) with bias \(bias.shape): expected [channels, 1, k] and [channels]")
        }
        (channels, kernel) = (weight.shape[0], weight.shape[2])
        var transposed = [Float](repeating: 0, count: weight.count)
        for c in 0..<channels {
            for j in 0..<kernel { transposed[j * channels + c] = weight.values[c * kernel + j] }
        }
        self.weight = transposed
        self.bias = bias.values
    }

    /// Zeroed state for a new stream: [(kernel − 1) × channels].
    func initialState() -> [Float] { [Float](repeating: 0, count: (kernel - 1) * channels) }

    /// x [frames × channels] → [frames × channels]: y[t, c] = b[c] + Σ_j w[c, j] · padded[t + j, c]; updates `state`.
    func callAsFunction(_ x: [Float], frames: Int, state: inout [Float]) -> [Float] {
        guard frames > 0 else { return [] }
        let padded = state + x
        state = Array(padded[(frames * channels)...])
        var y = [Float](repeating: 0, count: frames * channels)
        let channels = channels, kernel = kernel
        y.withUnsafeMutableBufferPointer { y in
            padded.withUnsafeBufferPointer { padded in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        for t in 0..<frames {
                            let out = y.baseAddress! + t * channels
                            out.update(from: b.baseAddress!, count: channels)
                            for j in 0..<kernel {
                                let input = padded.baseAddress! + (t + j) * channels, tap = w.baseAddress! + j * channels
                                for c in 0..<channels { out[c] += tap[c] * input[c] }
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}
