/// A kind of processing stage that pipeline files can name in `type:`.
///
/// - `negotiate` runs twice: at validation, where input formats may have unknown properties, and
///   before data flows, with concrete formats. It throws `FormatMismatch` when an input is not
///   accepted, naming a converter stage where one exists.
/// - `make` builds a stage for concrete input formats.
public struct StageType: Sendable {
    public var name: String
    /// One-line description for `sluice stages`.
    public var summary: String
    public var options: [OptionSpec]
    /// How many inputs the stage takes.
    public var inputCount: ClosedRange<Int>
    public var negotiate: @Sendable (OptionValues, [StreamFormat]) throws -> StreamFormat
    public var make: @Sendable (OptionValues, [StreamFormat]) throws -> any Stage

    public init(
        name: String,
        summary: String,
        options: [OptionSpec],
        inputCount: ClosedRange<Int> = 1...1,
        negotiate: @escaping @Sendable (OptionValues, [StreamFormat]) throws -> StreamFormat,
        make: @escaping @Sendable (OptionValues, [StreamFormat]) throws -> any Stage
    ) {
        self.name = name
        self.summary = summary
        self.options = options
        self.inputCount = inputCount
        self.negotiate = negotiate
        self.make = make
    }
}

/// A kind of pipeline input (`input: { type: … }`).
public struct SourceType: Sendable {
    public var name: String
    public var summary: String
    /// Options; `path` is overridden by `sluice run -i`.
    public var options: [OptionSpec]
    /// The format as far as the options tell before the input is opened; throws for inconsistent options.
    public var declaredFormat: @Sendable (OptionValues) throws -> StreamFormat
    /// Opens the input (reading any header) and returns a source with a concrete format.
    public var open: @Sendable (OptionValues) throws -> any Source
    /// The file name extensions (lowercase, no dot) of the files this input reads, for `sluice batch`
    /// to find in folders; empty when the input does not read files.
    public var fileExtensions: @Sendable (OptionValues) -> Set<String>

    public init(
        name: String,
        summary: String,
        options: [OptionSpec],
        declaredFormat: @escaping @Sendable (OptionValues) throws -> StreamFormat,
        open: @escaping @Sendable (OptionValues) throws -> any Source,
        fileExtensions: @escaping @Sendable (OptionValues) -> Set<String> = { _ in [] }
    ) {
        self.name = name
        self.summary = summary
        self.options = options
        self.declaredFormat = declaredFormat
        self.open = open
        self.fileExtensions = fileExtensions
    }
}

/// A kind of pipeline output (`output: { type: … }`).
public struct SinkType: Sendable {
    public var name: String
    public var summary: String
    /// Options; `path` is overridden by `sluice run -o`.
    public var options: [OptionSpec]
    /// Throws `FormatMismatch` when the sink cannot take the format.
    public var accept: @Sendable (OptionValues, StreamFormat) throws -> Void
    /// Creates the output (under a temporary name for files).
    public var make: @Sendable (OptionValues, StreamFormat) throws -> any Sink
    /// The file name extension (no dot) of the file written for a stream of this format, for
    /// `sluice batch` to name its outputs; nil when the output does not write files.
    public var fileExtension: @Sendable (OptionValues, StreamFormat) -> String?

    public init(
        name: String,
        summary: String,
        options: [OptionSpec],
        accept: @escaping @Sendable (OptionValues, StreamFormat) throws -> Void,
        make: @escaping @Sendable (OptionValues, StreamFormat) throws -> any Sink,
        fileExtension: @escaping @Sendable (OptionValues, StreamFormat) -> String? = { _, _ in nil }
    ) {
        self.name = name
        self.summary = summary
        self.options = options
        self.accept = accept
        self.make = make
        self.fileExtension = fileExtension
    }
}
