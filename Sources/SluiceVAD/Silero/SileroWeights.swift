import SluiceNN

/// The weights of Silero VAD v6 (16 kHz), as faster-whisper ships them in `silero_vad_v6.onnx`, laid out
/// for the products of ``SileroNetwork``.
public struct SileroWeights: Sendable {
    /// The STFT as a convolution: 129 cosine rows then 129 sine rows, each 256 taps (258 × 256).
    let basis: [Float]
    /// The four encoder convolutions (kernel 3, padding 1, stride 1, 2, 2, 1), ReLU after each.
    let convolutions: [Convolution]
    /// LSTM (hidden 128, ONNX gate order i, o, f, c): input weights 512 × 128, recurrent weights 512 × 128,
    /// and the two biases summed (512).
    let lstmInput: [Float]
    let lstmRecurrent: [Float]
    let lstmBias: [Float]
    /// The decoder: a 1 × 1 convolution from 128 channels to one logit.
    let decoderWeight: [Float]
    let decoderBias: Float

    /// One convolution, its weight reordered to outputs × (3 taps × channels) so that an im2col row of
    /// three time-major frames multiplies it directly.
    struct Convolution: Sendable {
        let inputs: Int
        let outputs: Int
        let stride: Int
        let weight: [Float]
        let bias: [Float]
    }

    static let hidden = 128
    static let frequencies = 129
    static let taps = 256

    /// Reads the weights from the ONNX file's tensors, checking every shape.
    public init(_ onnx: ONNXWeights) throws(ONNXError) {
        basis = try onnx.tensor("encoder.feature_extractor.forward_basis_buffer", shape: [2 * Self.frequencies, 1, Self.taps]).values
        let layers = [(Self.frequencies, 128, 1), (128, 64, 2), (64, 64, 2), (64, 128, 1)]
        var convolutions: [Convolution] = []
        for (index, (inputs, outputs, stride)) in layers.enumerated() {
            let weight = try onnx.tensor("encoder.conv_layers.\(index).weight", shape: [outputs, inputs, 3]).values
            let bias = try onnx.tensor("encoder.conv_layers.\(index).bias", shape: [outputs]).values
            var reordered = [Float](repeating: 0, count: weight.count)
            for o in 0..<outputs {
                for c in 0..<inputs {
                    for k in 0..<3 { reordered[o * 3 * inputs + k * inputs + c] = weight[(o * inputs + c) * 3 + k] }
                }
            }
            convolutions.append(Convolution(inputs: inputs, outputs: outputs, stride: stride, weight: reordered, bias: bias))
        }
        self.convolutions = convolutions
        // The exporter numbers the LSTM's tensors (`onnx::LSTM_209`): they are found as the LSTM node's W, R and B.
        guard let node = onnx.nodes.first(where: { $0.opType == "LSTM" }), node.inputs.count >= 4 else {
            throw ONNXError("the model has no LSTM node with weights W, R and B")
        }
        let gates = 4 * Self.hidden
        lstmInput = try onnx.tensor(node.inputs[1], shape: [1, gates, Self.hidden]).values
        lstmRecurrent = try onnx.tensor(node.inputs[2], shape: [1, gates, Self.hidden]).values
        let biases = try onnx.tensor(node.inputs[3], shape: [1, 2 * gates]).values
        lstmBias = (0..<gates).map { biases[$0] + biases[gates + $0] }
        decoderWeight = try onnx.tensor("decoder.conv1d.weight", shape: [1, Self.hidden, 1]).values
        decoderBias = try onnx.tensor("decoder.conv1d.bias", shape: [1]).values[0]
    }

    /// Reads `silero_vad_v6.onnx`.
    public init(path: String) throws(ONNXError) {
        try self.init(ONNXWeights(path: path))
    }
}
