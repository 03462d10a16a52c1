/// Encodes one stream: samples in any packet sizes, codes out frame by frame as whole hops arrive.
public struct CodecEncoderStream: Sendable {
    public let model: CodecModel
    private var state: CodecModel.EncoderState
    private var pending: [Float] = []

    public init(model: CodecModel) {
        self.model = model
        state = model.encoderState()
    }

    /// Appends samples; returns the codes of every frame now complete ([frames × codesPerFrame]).
    public mutating func push(_ samples: [Float]) -> [Int32] {
        pending += samples
        let whole = pending.count / model.config.hop * model.config.hop
        guard whole > 0 else { return [] }
        let codes = model.encode(Array(pending[0..<whole]), state: &state)
        pending.removeFirst(whole)
        return codes
    }

    /// Ends the stream: a last partial frame is zero-padded and encoded.
    public mutating func finish() -> [Int32] {
        guard !pending.isEmpty else { return [] }
        return push([Float](repeating: 0, count: model.config.hop - pending.count))
    }
}

/// Decodes one stream of code frames to samples, frame by frame; `finish` gives what the decoder still holds.
public struct CodecDecoderStream: Sendable {
    public let model: CodecModel
    private var state: CodecModel.DecoderState

    public init(model: CodecModel) {
        self.model = model
        state = model.decoderState()
    }

    /// codes [frames × codesPerFrame] → the samples now final (`CodecModel.decode(_:state:)`).
    public mutating func push(_ codes: [Int32]) -> [Float] { model.decode(codes, state: &state) }

    /// Ends the stream: the samples held back for frames that will not come (a hop for vocos, none for transposed).
    public mutating func finish() -> [Float] { model.finish(state: &state) }
}
