/// A read/write policy of simultaneous translation: at each decision, write more target text or read more audio.
public enum SimulPolicy: Sendable, Equatable {
    /// wait-k (STACL, Ma et al. 2019): the target stays `words` source words behind the source; a source
    /// word is counted as `speechSecondsPerWord` of audio (fixed pre-decision, as SimulST's wait-k does).
    case waitK(words: Int)
    /// LocalAgreement-n on the target (whisper_streaming): write the prefix that n consecutive hypotheses share.
    case localAgreement(hypotheses: Int)
    /// AlignAtt (Papi et al. 2023): write tokens until one attends to the last `frames` encoder positions
    /// (20 ms each) of the audio heard so far.
    case alignAtt(frames: Int)

    /// The policies by name, as pipeline files and the command line spell them.
    public enum Kind: String, Sendable, CaseIterable {
        case alignAtt = "align_att"
        case waitK = "wait_k"
        case localAgreement = "local_agreement"
    }

    /// Seconds of speech counted as one source word by wait-k (about 3.3 words a second).
    public static let speechSecondsPerWord = 0.3

    public var kind: Kind {
        switch self {
        case .waitK: .waitK
        case .localAgreement: .localAgreement
        case .alignAtt: .alignAtt
        }
    }

    /// The policy of `kind` at `latency`, and the audio between decisions that goes with it.
    ///
    /// | level | align_att frames | wait_k words | local_agreement step |
    /// |---|---|---|---|
    /// | low | 10 (0.2 s) | 2 | 0.5 s |
    /// | low_medium | 15 | 3 | 0.75 s |
    /// | medium | 25 (0.5 s) | 4 | 1.0 s |
    /// | medium_high | 35 | 5 | 1.5 s |
    /// | high | 50 (1 s) | 7 | 2.0 s |
    ///
    /// align_att and wait_k decide every 0.5 s.
    public static func preset(_ kind: Kind, latency: LatencyLevel) -> (policy: SimulPolicy, stepSeconds: Double) {
        switch kind {
        case .alignAtt: (.alignAtt(frames: [10, 15, 25, 35, 50][latency.rank]), 0.5)
        case .waitK: (.waitK(words: [2, 3, 4, 5, 7][latency.rank]), 0.5)
        case .localAgreement: (.localAgreement(hypotheses: 2), [0.5, 0.75, 1.0, 1.5, 2.0][latency.rank])
        }
    }
}
