import Foundation

/// A word of a target hypothesis, as a policy sees it.
public struct CandidateWord: Sendable, Equatable {
    /// The word's text, with its leading space.
    public var text: String
    public var tokens: [Int]
    /// Encoder positions (20 ms each, from the segment's start) attended by the word's first and last token.
    public var firstAttended: Int
    public var lastAttended: Int
    /// The lowest probability of its tokens.
    public var probability: Double

    public init(text: String, tokens: [Int], firstAttended: Int, lastAttended: Int, probability: Double) {
        self.text = text
        self.tokens = tokens
        self.firstAttended = firstAttended
        self.lastAttended = lastAttended
        self.probability = probability
    }

    /// The word as hypotheses compare it: letters and digits, lower-cased.
    var key: String {
        let core = text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        return core.isEmpty ? text.trimmingCharacters(in: .whitespaces) : String(String.UnicodeScalarView(core))
    }
}

/// One lane's read/write state machine: given a hypothesis that continues the written text, how many of
/// its words to write now. Pure: no model, no clock.
///
/// - READ: decode nothing this step (wait-k while the source is less than k words ahead).
/// - DECODE: continue the written text, with a stop rule applied token by token (AlignAtt stops before a
///   token attending the newest audio; wait-k stops once it has the words it may write).
/// - WRITE: the words the policy allows: complete words only (a word is complete once the next token starts
///   another word, or the model ended the text), never more than the stop rule kept.
public struct WriteDecision: Sendable {
    public let policy: SimulPolicy
    /// LocalAgreement: the unwritten words of the latest hypotheses, oldest first (at most n − 1).
    private var history: [[String]] = []

    public init(policy: SimulPolicy) { self.policy = policy }

    /// How a decoding step should go.
    public enum Plan: Sendable, Equatable {
        /// Read on: nothing may be written yet.
        case read
        /// Decode, keeping at most `maxWords` new words (nil: no limit), and with AlignAtt's frame guard.
        case decode(maxWords: Int?, guardFrames: Int?)
    }

    /// The plan for a step with `segmentSeconds` of audio heard in the segment and `written` words written.
    public func plan(segmentSeconds: Double, written: Int) -> Plan {
        switch policy {
        case .waitK(let k):
            let allowed = Int(segmentSeconds / SimulPolicy.speechSecondsPerWord + 1e-9) - k + 1 - written
            return allowed > 0 ? .decode(maxWords: allowed, guardFrames: nil) : .read
        case .localAgreement:
            return .decode(maxWords: nil, guardFrames: nil)
        case .alignAtt(let frames):
            return .decode(maxWords: nil, guardFrames: frames)
        }
    }

    /// Whether decoding stops before a token: `wordStart` says it begins the new word numbered `wordIndex`
    /// (0-based among new words); `attended` is its attended position of `positions`.
    public static func stops(plan: Plan, wordStart: Bool, wordIndex: Int, attended: Int, positions: Int) -> Bool {
        guard case .decode(let maxWords, let guardFrames) = plan else { return true }
        if let maxWords, wordStart, wordIndex >= maxWords { return true }
        if let guardFrames, attended >= positions - guardFrames { return true }
        return false
    }

    /// How many of `words` (a hypothesis after the written text) to write; `lastComplete` says the last word
    /// is whole (the model ended the text, or decoding stopped at the start of another word).
    public mutating func wordsToWrite(_ words: [CandidateWord], lastComplete: Bool) -> Int {
        let complete = lastComplete ? words.count : max(0, words.count - 1)
        switch policy {
        case .waitK, .alignAtt:
            return complete
        case .localAgreement(let n):
            let keys = words.map(\.key)
            let window = history + [keys]
            var agreed = 0
            if window.count >= n {
                let recent = window.suffix(n)
                while recent.allSatisfy({ agreed < $0.count }) && recent.allSatisfy({ $0[agreed] == keys[agreed] }) { agreed += 1 }
            }
            history = window.suffix(max(0, n - 1)).map { Array($0.dropFirst(min(agreed, $0.count))) }
            return agreed
        }
    }

    /// Forgets earlier hypotheses (the segment they came from is over).
    public mutating func reset() { history = [] }
}
