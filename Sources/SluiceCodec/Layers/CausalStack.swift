/// A chain of causal layers over channel-major activations [channels × time], with one state slot per conv.
struct CausalStack: Sendable {
    enum Layer: Sendable {
        case conv(CausalConv1d)
        case convTranspose(CausalConvTranspose1d)
        case elu
        /// x + second(elu(first(elu(x)))).
        case residual(CausalConv1d, CausalConv1d)
    }

    let layers: [Layer]

    /// Zeroed per-stream state: one buffer per conv, in layer order.
    func initialState() -> [[Float]] {
        layers.flatMap { layer -> [[Float]] in
            switch layer {
            case .conv(let conv): [conv.initialState()]
            case .convTranspose(let conv): [conv.initialState()]
            case .elu: []
            case .residual(let first, let second): [first.initialState(), second.initialState()]
            }
        }
    }

    /// x [channels × length] → (output [channels' × length'], length'); advances `state`.
    func callAsFunction(_ x: [Float], length: Int, state: inout [[Float]]) -> (values: [Float], length: Int) {
        var values = x, length = length, slot = 0
        for layer in layers {
            switch layer {
            case .conv(let conv):
                values = conv(values, length: length, state: &state[slot])
                length /= conv.stride
                slot += 1
            case .convTranspose(let conv):
                values = conv(values, length: length, state: &state[slot])
                length *= conv.stride
                slot += 1
            case .elu:
                values = Activation.elu(values)
            case .residual(let first, let second):
                let inner = first(Activation.elu(values), length: length, state: &state[slot])
                let update = second(Activation.elu(inner), length: length, state: &state[slot + 1])
                values.withUnsafeMutableBufferPointer { v in update.withUnsafeBufferPointer { u in for i in v.indices { v[i] += u[i] } } }
                slot += 2
            }
        }
        return (values, length)
    }
}
