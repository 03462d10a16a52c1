import SluiceCore

/// A validated pipeline: every type known, every option checked, every edge resolved.
public struct Pipeline: Sendable {
    /// The file it came from.
    public var file: String
    /// Input, stages, output, in that order; `inputs` index into this list.
    public var components: [Component]
    /// The format the output receives, as far as validation knows it (an audio input's rate is
    /// known only once it is opened).
    public var outputFormat: StreamFormat?

    /// The input (the first component).
    public var source: Component { components[0] }
    /// The output (the last component).
    public var sink: Component { components[components.count - 1] }

    /// One node of the pipeline.
    public struct Component: Sendable {
        public enum Role: Sendable { case source, stage, sink }

        public var id: String
        public var typeName: String
        public var role: Role
        public var options: OptionValues
        /// Indices into `Pipeline.components` of the producers, in input order.
        public var inputs: [Int]
        /// The bound of the incoming edges.
        public var capacity: EdgeCapacity
        /// Where the component is written, for run-time configuration errors.
        public var location: Diagnostic.Location
    }
}
