import SluiceCore

/// Every stage, input and output type a pipeline file can name, by type name.
public struct StageRegistry: Sendable {
    public private(set) var stages: [String: StageType] = [:]
    public private(set) var sources: [String: SourceType] = [:]
    public private(set) var sinks: [String: SinkType] = [:]

    public init(stages: [StageType], sources: [SourceType], sinks: [SinkType]) {
        for stage in stages {
            precondition(self.stages[stage.name] == nil, "stage type '\(stage.name)' registered twice")
            self.stages[stage.name] = stage
        }
        for source in sources { self.sources[source.name] = source }
        for sink in sinks { self.sinks[sink.name] = sink }
    }
}
