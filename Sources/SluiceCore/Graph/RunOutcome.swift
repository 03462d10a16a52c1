/// How a run ended.
public enum RunOutcome: Sendable, Equatable {
    /// Every sink saw end of stream and committed its output.
    case completed
    /// A signal asked the sources to stop; the graph drained and every sink committed its output.
    case drained
    /// A node failed; the graph was cancelled and partial outputs were discarded.
    case failed(StageFailure)
    /// The run was cancelled (second signal or drain deadline); partial outputs were discarded.
    case cancelled

    public static func == (lhs: RunOutcome, rhs: RunOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.completed, .completed), (.drained, .drained), (.cancelled, .cancelled): true
        case (.failed(let a), .failed(let b)): a.description == b.description
        default: false
        }
    }
}
