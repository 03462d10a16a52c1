import SluiceCore
import SluicePipelines

/// What a pipeline does, as one short string: a batch output made by another fingerprint was made
/// by another pipeline or other options, so it is redone.
///
/// The fingerprint is the 64-bit FNV-1a hash (16 hex digits) of a canonical description: each
/// component's id, type and inputs, and each option whose value differs from its declared default,
/// after `--set`. So comments, layout, the order of keys, an option set to its default, the
/// pipeline file's name and the queue bounds (which change timing, not results) do not count; the
/// input and output `path`, which batch sets for each input, do not either. A model named by a
/// stage's `model` option counts by its name.
public enum PipelineFingerprint {
    /// The fingerprint of `pipeline`, whose types are in `registry`.
    public static func of(_ pipeline: Pipeline, registry: StageRegistry) -> String {
        let hash = Shard.fnv1a(description(of: pipeline, registry: registry))
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// One line per component: `id type <- inputs: option=value …`, options in declaration order.
    public static func description(of pipeline: Pipeline, registry: StageRegistry) -> String {
        pipeline.components.map { component in
            let specs: [OptionSpec]
            switch component.role {
            case .source: specs = registry.sources[component.typeName]?.options ?? []
            case .stage: specs = registry.stages[component.typeName]?.options ?? []
            case .sink: specs = registry.sinks[component.typeName]?.options ?? []
            }
            let inputs = component.inputs.map { pipeline.components[$0].id }.joined(separator: ",")
            var line = "\(String(reflecting: component.id)) \(String(reflecting: component.typeName)) <- \(inputs):"
            for spec in specs where !(component.role != .stage && spec.name == "path") {
                guard let value = component.options[spec.name] else { continue }
                let rendered = render(value, spec.kind)
                if let defaultValue = spec.defaultValue, render(defaultValue, spec.kind) == rendered { continue }
                line += " \(spec.name)=\(rendered)"
            }
            return line
        }.joined(separator: "\n")
    }

    /// A value as the description writes it: numbers in their shortest exact form (`5` for a number
    /// option reads `5.0`), strings quoted.
    private static func render(_ value: OptionValue, _ kind: OptionSpec.Kind) -> String {
        switch value {
        case .integer(let number):
            if case .number = kind { return "\(Double(number))" }
            return "\(number)"
        case .number(let number): return "\(number)"
        case .string(let text): return String(reflecting: text)
        case .boolean(let flag): return "\(flag)"
        }
    }
}
