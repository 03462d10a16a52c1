/// One file a batch processes.
public struct BatchInput: Sendable, Equatable {
    /// The path to open: a file argument as given, or a folder argument joined with the relative path.
    public var path: String
    /// The path under its root (`a/b/c.flac`), or the file name for a file argument: it names the
    /// outputs, keys the manifest and picks the shard.
    public var relativePath: String
    public var size: Int64
    /// Modification time, seconds since 1970 with nanoseconds.
    public var modified: Double

    public init(path: String, relativePath: String, size: Int64, modified: Double) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.modified = modified
    }
}
