/// Decides a stream's spoken language from the language identification of successive steps, only on strong
/// evidence: a translation from the wrong language is worse than a late one (on a few seconds of speech Whisper
/// base hears Spanish as Greek, Portuguese as Latin). Pure: probabilities in, a decision out; no model, no clock.
///
/// Each step reports the probability of every language on the audio it heard (the segment so far):
/// - only the `allowed` languages count (renormalised), when a list is given;
/// - a language is decided once it is the most likely one on the last `agreeingSteps` steps, each at least
///   `strongProbability`, with at least `minimumSeconds` of audio heard by the latest;
/// - failing that, after `maximumSeconds` (or at the end of the stream) the language with the most votes
///   (probabilities weighted by the seconds each step heard) is decided, weak as it is;
/// - a decision can be replaced by a later strong one (the translator asks only until it has written text).
public struct LanguageDecision: Sendable, Equatable {
    /// A decided language and the probability it was decided with (the latest step's, or its share of the votes).
    public struct Decision: Sendable, Equatable {
        public var code: String
        public var probability: Double
        /// Whether it met the strong rule, rather than being the best after `maximumSeconds`.
        public var strong: Bool
    }

    /// The languages the stream may be in (nil: any Whisper language).
    public var allowed: Set<String>?
    public var strongProbability = 0.8
    public var agreeingSteps = 2
    public var minimumSeconds = 2.0
    public var maximumSeconds = 6.0

    /// The most likely language of each step so far, with its probability.
    private var tops: [(code: String, probability: Double)] = []
    /// Per language, probabilities weighted by the seconds heard.
    private var votes: [String: Double] = [:]
    public private(set) var decision: Decision?

    public init(allowed: Set<String>? = nil) { self.allowed = allowed }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.allowed == rhs.allowed && lhs.decision == rhs.decision && lhs.votes == rhs.votes
            && lhs.tops.map(\.code) == rhs.tops.map(\.code) && lhs.tops.map(\.probability) == rhs.tops.map(\.probability)
    }

    /// The probabilities among the allowed languages, summing to 1 (all of them when none is allowed).
    public func restricted(_ probabilities: [String: Double]) -> [String: Double] {
        guard let allowed else { return probabilities }
        let kept = probabilities.filter { allowed.contains($0.key) }
        let total = kept.values.reduce(0, +)
        guard total > 0 else { return probabilities }
        return kept.mapValues { $0 / total }
    }

    /// Takes one step's identification (`probabilities` by code, on `seconds` of audio); `finishing` says no
    /// more audio will come. Returns the decision when this step made or changed it.
    public mutating func observe(_ probabilities: [String: Double], seconds: Double, finishing: Bool = false) -> Decision? {
        let probabilities = restricted(probabilities)
        guard let best = probabilities.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return nil }
        tops.append((best.key, best.value))
        for (code, probability) in probabilities { votes[code, default: 0] += probability * seconds }
        let recent = tops.suffix(agreeingSteps)
        let strong =
            seconds >= minimumSeconds && recent.count == agreeingSteps
            && recent.allSatisfy { $0.code == best.key && $0.probability >= strongProbability }
        var made: Decision?
        if strong {
            made = Decision(code: best.key, probability: best.value, strong: true)
        } else if decision == nil && (finishing || seconds >= maximumSeconds) {
            let total = votes.values.reduce(0, +)
            if let voted = votes.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                made = Decision(code: voted.key, probability: total > 0 ? voted.value / total : 0, strong: false)
            }
        }
        guard let made else { return nil }
        let changed = made.code != decision?.code
        if changed || made.strong { decision = made }
        return changed ? made : nil
    }
}
