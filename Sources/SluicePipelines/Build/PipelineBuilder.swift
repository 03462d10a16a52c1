import SluiceCore

/// Turns a validated pipeline into graph nodes: opens the input, negotiates concrete formats,
/// builds the stages and creates the output.
public struct PipelineBuilder {
    public let registry: StageRegistry

    public init(registry: StageRegistry) {
        self.registry = registry
    }

    /// Builds the nodes of `pipeline`.
    ///
    /// - Throws: `ConfigurationError` when a concrete format is not accepted (exit 78), and
    ///   `StageFailure` when a component cannot be opened or created (exit 1).
    public func build(_ pipeline: Pipeline) throws -> [GraphNode] {
        var nodes: [GraphNode] = []
        var built: [GraphNode.Role] = []
        do {
            for component in pipeline.components {
                let formats = component.inputs.map { nodes[$0].outputFormat! }
                let role: GraphNode.Role
                do {
                    switch component.role {
                    case .source:
                        role = .source(try registry.sources[component.typeName]!.open(component.options))
                    case .stage:
                        let type = registry.stages[component.typeName]!
                        _ = try type.negotiate(component.options, formats)
                        role = .stage(try type.make(component.options, formats))
                    case .sink:
                        let type = registry.sinks[component.typeName]!
                        try type.accept(component.options, formats[0])
                        role = .sink(try type.make(component.options, formats[0]))
                    }
                } catch let mismatch as FormatMismatch {
                    let producers = component.inputs.map { pipeline.components[$0] }
                    throw ConfigurationError([
                        Diagnostic(
                            component.location,
                            FormatCheck.message(for: mismatch, component: component, producers: producers))
                    ])
                } catch let error as ConfigurationError {
                    throw error
                } catch {
                    throw StageFailure(stageID: component.id, stageType: component.typeName, position: nil, message: "\(error)")
                }
                built.append(role)
                nodes.append(
                    GraphNode(
                        id: component.id, type: component.typeName, role: role,
                        inputs: component.inputs, capacity: capacity(of: component, in: pipeline)))
            }
        } catch {
            for role in built { if case .sink(let sink) = role { sink.abort() } }
            throw error
        }
        return nodes
    }

    /// The consumer's queue bound, with the input's `when_full` for edges leaving a live input.
    private func capacity(of component: Pipeline.Component, in pipeline: Pipeline) -> EdgeCapacity {
        var capacity = component.capacity
        let source = pipeline.components[0]
        if component.inputs.contains(0), let policy = source.options.optionalString("when_full"),
            let whenFull = EdgeCapacity.WhenFull(rawValue: policy)
        {
            capacity.whenFull = whenFull
        }
        return capacity
    }
}
