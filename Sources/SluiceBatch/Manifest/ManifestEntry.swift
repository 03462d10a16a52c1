/// One line of the batch manifest: what became of one input.
public struct ManifestEntry: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        case failed
    }

    /// The input's relative path (see `BatchInput.relativePath`).
    public var input: String
    /// The input's size in bytes and modification time when it was processed.
    public var size: Int64
    public var mtime: Double
    public var status: Status
    /// The outputs written, relative to the output folder.
    public var outputs: [String]
    /// What went wrong, for a failed input.
    public var error: String?
    /// Seconds of audio (or of the input's timeline) read.
    public var audioSeconds: Double
    /// Seconds the input took, from opening to the committed output.
    public var wallSeconds: Double
    /// The fingerprint of the pipeline that made the outputs (see `PipelineFingerprint`); nil in
    /// manifests written before sluice recorded it.
    public var pipeline: String?
    /// The version of sluice that processed the input (for the record; it does not make outputs stale).
    public var sluiceVersion: String?
    /// When the entry was written, seconds since 1970 (nil in older manifests): orders the entries of
    /// one input across manifest files.
    public var finished: Double?

    enum CodingKeys: String, CodingKey {
        case input, size, mtime, status, outputs, error, pipeline, finished
        case audioSeconds = "audio_seconds"
        case wallSeconds = "wall_seconds"
        case sluiceVersion = "sluice_version"
    }

    public init(
        input: BatchInput, status: Status, outputs: [String], error: String?, audioSeconds: Double, wallSeconds: Double,
        pipeline: String? = nil, sluiceVersion: String? = nil, finished: Double? = nil
    ) {
        self.input = input.relativePath
        self.size = input.size
        self.mtime = input.modified
        self.status = status
        self.outputs = outputs
        self.error = error
        self.audioSeconds = audioSeconds
        self.wallSeconds = wallSeconds
        self.pipeline = pipeline
        self.sluiceVersion = sluiceVersion
        self.finished = finished
    }

    /// Whether this entry says `input` is done: ok, for the same size and modification time.
    /// (The caller also checks that the outputs exist.)
    public func completes(_ input: BatchInput) -> Bool {
        status == .ok && self.input == input.relativePath && size == input.size && mtime == input.modified
    }
}
