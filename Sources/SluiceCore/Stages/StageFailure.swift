/// Why a run stopped: the failing stage, where in its input, and the underlying message.
public struct StageFailure: Error, Sendable, CustomStringConvertible {
    /// The stage id from the pipeline file (`input`/`output` for those sections).
    public var stageID: String
    /// The stage type, e.g. `audio.resample`.
    public var stageType: String
    /// Where in the stage's input the failure happened, e.g. "input sample 441000 (10.000 s)".
    public var position: String?
    /// The underlying error's one-line description.
    public var message: String

    public init(stageID: String, stageType: String, position: String?, message: String) {
        self.stageID = stageID
        self.stageType = stageType
        self.position = position
        self.message = message
    }

    public var description: String {
        var text = "stage '\(stageID)' (\(stageType))"
        if let position { text += " at \(position)" }
        return text + ": \(message)"
    }
}

/// Thrown by blocking engine calls when the run is being cancelled.
public struct RunCancelled: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "run cancelled" }
}
