import SluiceCore
import SluicePipelines

/// A pipeline file made ready for a batch: validated up front, then read, built and run for each
/// input with its `input.path` and `output.path` set.
public struct PipelineJob: Sendable {
    /// What running one input came to.
    public enum Outcome: Sendable {
        /// The output was committed; seconds of input timeline read.
        case succeeded(audioSeconds: Double)
        case failed(String)
        /// Cancelled by a signal; nothing was written.
        case cancelled
    }

    private let registry: StageRegistry
    private let file: String
    private let overrides: [Override]
    /// The extensions of the files the pipeline's input reads.
    public let inputExtensions: Set<String>
    /// The extension of the file the pipeline's output writes.
    public let outputExtension: String
    /// What the pipeline does (see `PipelineFingerprint`), recorded with each output.
    public let fingerprint: String

    /// Reads and validates the pipeline at `path` with `overrides` applied.
    ///
    /// - Throws: `ConfigurationError` for a pipeline that does not validate, or whose input does not
    ///   read files or output does not write them.
    public init(path: String, overrides: [Override], registry: StageRegistry = .standard) throws(ConfigurationError) {
        let pipeline = try PipelineValidator(registry: registry).load(path: path, overrides: overrides + Self.paths("-", "batch-output"))
        let source = pipeline.source, sink = pipeline.sink
        let inputExtensions = registry.sources[source.typeName]!.fileExtensions(source.options)
        guard !inputExtensions.isEmpty else {
            throw ConfigurationError([
                Diagnostic(source.location, "'input': type '\(source.typeName)' reads no files, so sluice batch has nothing to look for")
            ])
        }
        guard let format = pipeline.outputFormat,
            let outputExtension = registry.sinks[sink.typeName]!.fileExtension(sink.options, format)
        else {
            throw ConfigurationError([
                Diagnostic(sink.location, "'output': type '\(sink.typeName)' writes no files, so sluice batch cannot name its outputs")
            ])
        }
        self.registry = registry
        self.file = path
        self.overrides = overrides
        self.inputExtensions = inputExtensions
        self.outputExtension = outputExtension
        self.fingerprint = PipelineFingerprint.of(pipeline, registry: registry)
    }

    /// Runs the pipeline from `input` to `output`; `started` receives the runner (to cancel it) and
    /// `ended` is called when it has stopped.
    public func run(input: String, output: String, started: (GraphRunner) -> Void, ended: (GraphRunner) -> Void) -> Outcome {
        let nodes: [GraphNode]
        do {
            let pipeline = try PipelineValidator(registry: registry).load(path: file, overrides: overrides + Self.paths(input, output))
            nodes = try PipelineBuilder(registry: registry).build(pipeline)
        } catch let error as ConfigurationError {
            return .failed(error.diagnostics.map(\.description).joined(separator: "; "))
        } catch {
            return .failed("\(error)")
        }
        let runner = GraphRunner(nodes: nodes)
        started(runner)
        defer { ended(runner) }
        switch runner.run() {
        case .completed, .drained:
            return .succeeded(audioSeconds: Self.seconds(read: runner.nodeMetrics()[0].metrics, format: nodes[0].outputFormat))
        case .failed(let failure):
            return .failed(failure.description)
        case .cancelled:
            return .cancelled
        }
    }

    /// Seconds of timeline in the float frames a source sent.
    static func seconds(read metrics: StageMetrics.Snapshot, format: StreamFormat?) -> Double {
        guard let rate = format?.framesPerSecond, let width = format?.valuesPerFrame, rate > 0, width > 0 else { return 0 }
        return Double(metrics.bytesOut) / Double(MemoryLayout<Float>.size * width) / rate
    }

    private static func paths(_ input: String, _ output: String) -> [Override] {
        [
            Override(target: "input", option: "path", value: input, origin: "batch input \(input)"),
            Override(target: "output", option: "path", value: output, origin: "batch output \(output)"),
        ]
    }
}
