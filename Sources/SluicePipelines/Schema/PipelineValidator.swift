import Foundation
import SluiceCore
import Yams

/// Checks a pipeline file against the stage registry and resolves it into a `Pipeline`.
///
/// Three phases, all errors collected:
/// - schema: YAML, known keys and types, option values, required options (`PipelineParser` + here);
/// - graph: unique ids, inputs that exist and come earlier, arity, no unused outputs;
/// - formats: each consumer accepts its producers' formats, with a converter suggested when not.
public struct PipelineValidator {
    public let registry: StageRegistry

    public init(registry: StageRegistry) {
        self.registry = registry
    }

    /// The largest pipeline file read (1 MiB): real pipelines are a few hundred bytes, and a huge one only costs
    /// parse time and memory.
    public static let maximumFileBytes = 1 << 20

    /// Reads and validates the pipeline file at `path`.
    public func load(path: String, overrides: [Override] = []) throws(ConfigurationError) -> Pipeline {
        let start = Diagnostic.Location.file(path: path, line: 1, column: 1)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > Self.maximumFileBytes {
            throw ConfigurationError([Diagnostic(start, "the file is \(size) bytes; a pipeline file is at most \(Self.maximumFileBytes) bytes")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw ConfigurationError([Diagnostic(start, reason)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = Self.firstInvalidUTF8(in: data)
            throw ConfigurationError([
                Diagnostic(.file(path: path, line: line, column: column), "the file is not UTF-8 text (a byte that is not UTF-8 here)")
            ])
        }
        return try validate(yaml: text, file: path, overrides: overrides)
    }

    /// Line and column (1-based, in bytes) of the first line that is not valid UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int) {
        var line = 1
        for bytes in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: bytes, as: UTF8.self) == nil {
                // The longest valid prefix ends where the bad byte is.
                var valid = bytes.count
                while valid > 0, String(validating: bytes.prefix(valid), as: UTF8.self) == nil { valid -= 1 }
                return (line, valid + 1)
            }
            line += 1
        }
        return (1, 1)
    }

    /// Validates pipeline YAML; `file` is the name used in messages.
    public func validate(yaml: String, file: String, overrides: [Override] = []) throws(ConfigurationError) -> Pipeline {
        var parser = PipelineParser(file: file)
        let parsed = parser.parse(yaml)
        var diagnostics = parser.diagnostics
        guard var spec = parsed else { throw ConfigurationError(diagnostics) }
        apply(overrides, to: &spec, diagnostics: &diagnostics)

        var check = Check(registry: registry, diagnostics: diagnostics)
        let pipeline = check.run(spec)
        guard check.diagnostics.isEmpty, let pipeline else { throw ConfigurationError(check.diagnostics) }
        return pipeline
    }

    private func apply(_ overrides: [Override], to spec: inout PipelineSpec, diagnostics: inout [Diagnostic]) {
        for override in overrides {
            let location = Diagnostic.Location.override(override.origin)
            let entry = OptionEntry(
                key: Located(value: override.option, location: location), value: .scalar(Node.Scalar(override.value, Tag(.str))),
                valueLocation: location, overrideText: override.value)
            func place(_ component: inout ComponentSpec) {
                component.options.removeAll { $0.key.value == override.option }
                component.options.append(entry)
            }
            switch override.target {
            case "input": place(&spec.input)
            case "output": place(&spec.output)
            default:
                guard let index = spec.stages.firstIndex(where: { $0.id.value == override.target }) else {
                    let ids = ["input", "output"] + spec.stages.map(\.id.value)
                    diagnostics.append(
                        Diagnostic(location, "no stage with id '\(override.target)'\(Suggestions.hint(for: override.target, in: ids))"))
                    continue
                }
                place(&spec.stages[index])
            }
        }
    }
}

/// One validation pass; accumulates diagnostics.
private struct Check {
    let registry: StageRegistry
    var diagnostics: [Diagnostic]

    mutating func run(_ spec: PipelineSpec) -> Pipeline? {
        let all = [spec.input] + spec.stages + [spec.output]
        var components: [Pipeline.Component?] = []
        var firstDefinition: [String: Diagnostic.Location] = ["input": spec.input.id.location]
        var indexByID = ["input": 0]
        var used = Set<Int>()
        var edgesResolved = true

        for (index, entry) in all.enumerated() {
            let role: Pipeline.Component.Role = index == 0 ? .source : (index == all.count - 1 ? .sink : .stage)
            if role == .stage {
                let id = entry.id.value
                if id == "input" || id == "output" {
                    report(entry.id.location, "stage id '\(id)' is reserved for the pipeline's \(id) section")
                } else if let first = firstDefinition[id] {
                    report(entry.id.location, "duplicate stage id '\(id)' (first defined at \(Self.lineColumn(first)))")
                } else {
                    firstDefinition[id] = entry.id.location
                }
            }
            let inputs = role == .source ? [] : resolveInputs(entry, index: index, all: all, indexByID: indexByID)
            if let inputs { used.formUnion(inputs) } else if role != .source { edgesResolved = false }
            components.append(component(entry, role: role, inputs: inputs))
            if role == .stage, indexByID[entry.id.value] == nil { indexByID[entry.id.value] = index }
        }
        for index in 0..<(all.count - 1) where edgesResolved && !used.contains(index) {
            report(all[index].location, "\(Self.name(all[index])): its output is not used by any stage or the output")
        }
        guard diagnostics.isEmpty else {
            diagnostics.sort(by: Self.fileOrder)
            return nil
        }
        let resolved = components.compactMap { $0 }
        let outputFormat = checkFormats(resolved)
        return Pipeline(file: spec.file, components: resolved, outputFormat: outputFormat)
    }

    // MARK: - Types and options

    private mutating func component(_ entry: ComponentSpec, role: Pipeline.Component.Role, inputs: [Int]?) -> Pipeline.Component? {
        let typeName = entry.type.value
        let specs: [OptionSpec]
        let known: [String]
        switch role {
        case .source:
            specs = registry.sources[typeName]?.options ?? []
            known = Array(registry.sources.keys)
        case .stage:
            specs = registry.stages[typeName]?.options ?? []
            known = Array(registry.stages.keys)
        case .sink:
            specs = registry.sinks[typeName]?.options ?? []
            known = Array(registry.sinks.keys)
        }
        guard known.contains(typeName) else {
            let kind = role == .stage ? "stage type" : "\(entry.id.value) type"
            report(entry.type.location, "\(Self.name(entry)): unknown \(kind) '\(typeName)'\(Suggestions.hint(for: typeName, in: known.sorted()))")
            return nil
        }
        var values: [String: OptionValue] = [:]
        var written = Set<String>()
        var ok = true
        for option in entry.options {
            let name = option.key.value
            written.insert(name)
            guard let spec = specs.first(where: { $0.name == name }) else {
                let hint = Suggestions.hint(for: name, in: specs.map(\.name) + (role == .stage ? PipelineParser.stageKeys : ["type", "inputs"]))
                report(option.key.location, "\(Self.name(entry)): unknown option '\(name)'\(hint)")
                ok = false
                continue
            }
            guard let value = option.overrideText.map({ spec.value(parsing: $0) }) ?? Self.optionValue(option.value, kind: spec.kind) else {
                let got = option.overrideText.map { ", got '\($0)'" } ?? ""
                report(
                    option.valueLocation,
                    "\(Self.name(entry)): option '\(name)' must be \(spec.kind.name == "string" ? "a string" : "a single \(spec.kind.name) value")\(got)"
                )
                ok = false
                continue
            }
            switch spec.check(value) {
            case .success(let checked): values[name] = checked
            case .failure(let problem):
                report(option.valueLocation, "\(Self.name(entry)): option '\(name)' \(problem)")
                ok = false
            }
        }
        for spec in specs where values[spec.name] == nil {
            if let value = spec.defaultValue {
                values[spec.name] = value
            } else if spec.isRequired && !written.contains(spec.name) {
                report(entry.location, "\(Self.name(entry)): missing option '\(spec.name)' (\(spec.help))")
                ok = false
            }
        }
        guard ok, let inputs else { return nil }
        return Pipeline.Component(
            id: entry.id.value, typeName: typeName, role: role, options: OptionValues(values), inputs: inputs,
            capacity: capacity(entry.queue), location: entry.location)
    }

    private func capacity(_ queue: QueueSpec?) -> EdgeCapacity {
        EdgeCapacity(
            maxPackets: queue?.maxPackets?.value ?? EdgeCapacity.standard.maxPackets,
            maxSeconds: queue?.maxDurationMs.map { Double($0.value) / 1000 })
    }

    /// The value of a YAML scalar; for a string option any scalar but null is its text (`language: no` is Norwegian).
    static func optionValue(_ node: Node, kind: OptionSpec.Kind) -> OptionValue? {
        guard let scalar = node.scalar else { return nil }
        let tag = Tag.Name(rawValue: node.tag.description)
        switch kind {
        case .string, .choice: return tag == .null ? nil : .string(scalar.string)
        default: break
        }
        switch tag {
        case .int: return node.int.map(OptionValue.integer)
        case .float: return node.float.map(OptionValue.number)
        case .bool: return node.bool.map(OptionValue.boolean)
        case .null: return nil
        default: return .string(scalar.string)
        }
    }

    // MARK: - Graph

    private mutating func resolveInputs(_ entry: ComponentSpec, index: Int, all: [ComponentSpec], indexByID: [String: Int]) -> [Int]? {
        var result: [Int] = []
        guard let names = entry.inputs else { return checkArity(entry, [index - 1], isOutput: index == all.count - 1) }
        for name in names {
            if let producer = indexByID[name.value] {
                result.append(producer)
            } else if all[index...].contains(where: { $0.id.value == name.value }) && name.value != "output" {
                report(name.location, "\(Self.name(entry)): input '\(name.value)' is defined later; list a stage after its inputs")
                return nil
            } else {
                let candidates = Array(indexByID.keys).sorted()
                report(name.location, "\(Self.name(entry)): input '\(name.value)' is not defined\(Suggestions.hint(for: name.value, in: candidates))")
                return nil
            }
        }
        return checkArity(entry, result, isOutput: index == all.count - 1)
    }

    /// Checks the number of inputs against the stage type (the output takes exactly one).
    private mutating func checkArity(_ entry: ComponentSpec, _ inputs: [Int], isOutput: Bool) -> [Int]? {
        let allowed = isOutput ? 1...1 : (registry.stages[entry.type.value]?.inputCount ?? 1...Int.max)
        guard !allowed.contains(inputs.count) else { return inputs }
        let expected = allowed.count == 1 ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
        let noun = allowed.upperBound == 1 ? "input" : "inputs"
        report(entry.inputs?.first?.location ?? entry.location, "\(Self.name(entry)): takes \(expected) \(noun), got \(inputs.count)")
        return nil
    }

    // MARK: - Formats

    /// Checks every edge and returns the format the output receives.
    private mutating func checkFormats(_ components: [Pipeline.Component]) -> StreamFormat? {
        var formats: [StreamFormat?] = []
        for component in components {
            let inputs = component.inputs.map { formats[$0] }
            guard !inputs.contains(where: { $0 == nil }) else {
                formats.append(nil)
                continue
            }
            do {
                switch component.role {
                case .source:
                    formats.append(try registry.sources[component.typeName]!.declaredFormat(component.options))
                case .stage:
                    formats.append(try registry.stages[component.typeName]!.negotiate(component.options, inputs.map { $0! }))
                case .sink:
                    try registry.sinks[component.typeName]!.accept(component.options, inputs[0]!)
                    formats.append(nil)
                }
            } catch {
                report(component.location, FormatCheck.message(for: error, component: component, producers: component.inputs.map { components[$0] }))
                formats.append(nil)
            }
        }
        return components.last.flatMap { sink in sink.inputs.first.flatMap { formats[$0] } }
    }

    // MARK: - Helpers

    private mutating func report(_ location: Diagnostic.Location, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    /// Overrides first, then by line and column.
    static func fileOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case (.file(_, let lineA, let columnA), .file(_, let lineB, let columnB)):
            return (lineA, columnA) < (lineB, columnB)
        case (.override, .file): return true
        default: return false
        }
    }

    static func name(_ entry: ComponentSpec) -> String {
        let id = entry.id.value
        return id == "input" || id == "output" ? "'\(id)'" : "stage '\(id)'"
    }

    static func lineColumn(_ location: Diagnostic.Location) -> String {
        switch location {
        case .file(_, let line, let column): "\(line):\(column)"
        case .override(let text): "--set \(text)"
        }
    }
}

/// Wording of format errors, shared by validation and run-time negotiation.
enum FormatCheck {
    static func message(for error: any Error, component: Pipeline.Component, producers: [Pipeline.Component]) -> String {
        let name = component.role == .stage ? "stage '\(component.id)'" : "'\(component.id)'"
        let from = producers.map { "'\($0.id)'" }.joined(separator: ", ")
        if let mismatch = error as? FormatMismatch {
            return "\(name): \(mismatch.message) from \(from)"
                + (mismatch.suggestedConverter.map { "; insert a converter before it: \($0)" } ?? "")
        }
        return "\(name): \(error)"
    }
}
