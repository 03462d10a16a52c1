/// Why a corpus quality metric cannot score its input.
public enum QualityInputError: Error, Equatable, CustomStringConvertible {
    /// The corpus has a different number of hypotheses and references (one reference per segment).
    case segmentCountMismatch(hypotheses: Int, references: Int)

    public var description: String {
        switch self {
        case .segmentCountMismatch(let hypotheses, let references):
            "corpus has \(hypotheses) hypotheses but \(references) references; give one reference per hypothesis"
        }
    }

    /// The segments paired up, or the mismatch as an error.
    static func pairs(_ hypotheses: [String], _ references: [String]) throws(QualityInputError)
        -> Zip2Sequence<[String], [String]>
    {
        guard hypotheses.count == references.count else {
            throw .segmentCountMismatch(hypotheses: hypotheses.count, references: references.count)
        }
        return zip(hypotheses, references)
    }
}
