import ArgumentParser
import SluiceCore
import SluicePipelines

/// A command-line flag that sets an option of the command's pipeline: the option's declaration checks it.
struct StageFlag {
    let flag: String
    let value: String?
    /// The option, the component type that declares it, and the component's id in the command's pipeline.
    let option: String, type: String, target: String

    init(_ flag: String, _ value: (some CustomStringConvertible)?, sets option: String, of type: String, target: String = "asr") {
        self.flag = flag
        self.value = value?.description
        self.option = option
        self.type = type
        self.target = target
    }

    /// The option's declaration.
    private var spec: OptionSpec? {
        let registry = StageRegistry.standard
        let options = registry.stages[type]?.options ?? registry.sources[type]?.options ?? registry.sinks[type]?.options ?? []
        return options.first { $0.name == option }
    }

    /// Throws a usage error when the value does not fit the declaration (its type and range).
    func check() throws {
        guard let value else { return }
        guard let spec else { throw ValidationError("\(flag) does not apply to \(type)") }
        guard let parsed = spec.value(parsing: value) else { throw ValidationError("\(flag) must be \(spec.kind.name), got '\(value)'") }
        if case .failure(let problem) = spec.check(parsed) { throw ValidationError("\(flag) \(problem)") }
    }

    /// The override that applies the flag, when it was given.
    var override: Override? { value.map { Override(target: target, option: option, value: $0, origin: flag) } }
}
