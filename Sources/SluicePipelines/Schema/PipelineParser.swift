import Foundation
import Yams

/// Reads a pipeline file's YAML into a `PipelineSpec`, reporting structural errors with positions.
///
/// Checks here: YAML syntax, duplicate keys, the top-level keys, that sections and stages are
/// mappings with `type` (and `id` for stages), and the shape of `inputs` and `queue`.
struct PipelineParser {
    static let topLevelKeys = ["version", "description", "input", "stages", "output"]
    static let stageKeys = ["id", "type", "inputs", "queue"]
    static let queueKeys = ["max_packets", "max_duration_ms"]
    /// Upper bounds of a queue (a bound that can be switched off is no bound): 10 000 packets, 10 minutes.
    static let maximumQueuePackets = 10_000
    static let maximumQueueMilliseconds = 600_000

    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    /// Parses `yaml`; returns `nil` (with diagnostics) when the structure is unusable.
    mutating func parse(_ yaml: String) -> PipelineSpec? {
        let root: Node
        if let excess = AliasExpansion.firstExcess(in: yaml) {
            report(
                at: .file(path: file, line: excess.line, column: excess.column),
                "YAML aliases expand the file past \(AliasExpansion.nodeBudget) nodes here (nested anchors used over and over)")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                report(at: .file(path: file, line: 1, column: 1), "empty pipeline file")
                return nil
            }
            root = node
        } catch let error as YamlError {
            diagnostics.append(Self.diagnostic(for: error, file: file))
            return nil
        } catch {
            report(at: .file(path: file, line: 1, column: 1), "\(error)")
            return nil
        }
        guard let mapping = root.mapping else {
            report(at: location(of: root), "a pipeline file is a mapping with 'input', 'stages' and 'output'")
            return nil
        }
        var input: ComponentSpec?
        var output: ComponentSpec?
        var stages: [ComponentSpec] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            switch name {
            case "version":
                if value.int != 1 { report(at: location(of: value), "unsupported version '\(value.string ?? "")' (this Sluice reads version 1)") }
            case "description":
                if value.scalar == nil { report(at: location(of: value), "'description' must be a string") }
            case "input":
                input = component(value, id: Located(value: "input", location: location(of: key)), isStage: false)
            case "output":
                output = component(value, id: Located(value: "output", location: location(of: key)), isStage: false)
            case "stages":
                guard let sequence = value.sequence else {
                    report(at: location(of: value), "'stages' must be a list of stages")
                    continue
                }
                for (index, item) in sequence.enumerated() {
                    if let stage = component(item, id: nil, isStage: true, index: index) { stages.append(stage) }
                }
            default:
                report(at: location(of: key), "unknown key '\(name)'\(Suggestions.hint(for: name, in: Self.topLevelKeys))")
            }
        }
        let rootLocation = location(of: root)
        if input == nil && !mapping.keys.contains(where: { $0.string == "input" }) {
            report(at: rootLocation, "missing 'input' section")
        }
        if output == nil && !mapping.keys.contains(where: { $0.string == "output" }) {
            report(at: rootLocation, "missing 'output' section")
        }
        guard let input, let output else { return nil }
        return PipelineSpec(file: file, input: input, stages: stages, output: output)
    }

    // MARK: - Components

    private mutating func component(_ node: Node, id fixedID: Located<String>?, isStage: Bool, index: Int = 0) -> ComponentSpec? {
        let what = fixedID.map { "'\($0.value)'" } ?? "stage \(index + 1)"
        guard let mapping = node.mapping else {
            report(at: location(of: node), "\(what) must be a mapping with at least 'type'")
            return nil
        }
        var id = fixedID
        var type: Located<String>?
        var inputs: [Located<String>]?
        var queue: QueueSpec?
        var options: [OptionEntry] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            switch name {
            case "id" where isStage:
                guard let text = value.scalar?.string, !text.isEmpty else {
                    report(at: location(of: value), "\(what): 'id' must be a non-empty string")
                    continue
                }
                id = Located(value: text, location: location(of: value))
            case "type":
                guard let text = value.scalar?.string else {
                    report(at: location(of: value), "\(what): 'type' must be a string")
                    continue
                }
                type = Located(value: text, location: location(of: value))
            case "inputs":
                inputs = names(in: value, of: what)
            case "queue" where isStage:
                queue = queueSpec(value, of: what)
            default:
                options.append(OptionEntry(key: Located(value: name, location: location(of: key)), value: value, valueLocation: location(of: value)))
            }
        }
        let name = id?.value ?? what
        guard let id else {
            report(at: location(of: node), "\(what): missing 'id'")
            return nil
        }
        guard let type else {
            report(at: location(of: node), "\(isStage ? "stage '\(name)'" : "'\(name)'"): missing 'type'")
            return nil
        }
        return ComponentSpec(id: id, type: type, inputs: inputs, queue: queue, options: options, location: location(of: node))
    }

    private mutating func names(in node: Node, of what: String) -> [Located<String>]? {
        if let text = node.scalar?.string { return [Located(value: text, location: location(of: node))] }
        guard let sequence = node.sequence else {
            report(at: location(of: node), "\(what): 'inputs' must be a list of stage ids")
            return nil
        }
        var result: [Located<String>] = []
        for item in sequence {
            guard let text = item.scalar?.string else {
                report(at: location(of: item), "\(what): 'inputs' must be a list of stage ids")
                return nil
            }
            result.append(Located(value: text, location: location(of: item)))
        }
        return result
    }

    private mutating func queueSpec(_ node: Node, of what: String) -> QueueSpec? {
        guard let mapping = node.mapping else {
            report(at: location(of: node), "\(what): 'queue' must be a mapping with 'max_packets' and/or 'max_duration_ms'")
            return nil
        }
        var queue = QueueSpec()
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard Self.queueKeys.contains(name) else {
                report(at: location(of: key), "\(what): unknown queue option '\(name)'\(Suggestions.hint(for: name, in: Self.queueKeys))")
                continue
            }
            let limit = name == "max_packets" ? Self.maximumQueuePackets : Self.maximumQueueMilliseconds
            guard let number = value.int, (1...limit).contains(number) else {
                report(at: location(of: value), "\(what): queue option '\(name)' must be an integer in 1...\(limit)")
                continue
            }
            let located = Located(value: number, location: location(of: value))
            if name == "max_packets" { queue.maxPackets = located } else { queue.maxDurationMs = located }
        }
        return queue
    }

    // MARK: - Locations

    func location(of node: Node) -> Diagnostic.Location {
        let mark = node.mark
        return .file(path: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private mutating func report(at location: Diagnostic.Location, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    /// Where `key` appears again as a mapping key (`key:`) after its first use at `first`, if it can be found.
    static func repeatedKey(_ key: String, in text: String, after first: Mark) -> (line: Int, column: Int)? {
        guard !key.isEmpty else { return nil }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= first.line {
            var searchFrom = line.startIndex
            if index + 1 == first.line {
                searchFrom = line.index(line.startIndex, offsetBy: min(line.count, first.column - 1 + key.count))
            }
            while let found = line[searchFrom...].range(of: key) {
                let before = found.lowerBound == line.startIndex ? " " : line[line.index(before: found.lowerBound)]
                let after = line[found.upperBound...].drop { $0 == " " }
                if !(before.isLetter || before.isNumber || before == "_"), after.first == ":" {
                    return (index + 1, line.distance(from: line.startIndex, to: found.lowerBound) + 1)
                }
                searchFrom = found.upperBound
            }
        }
        return nil
    }

    /// Turns a Yams error into a one-line diagnostic at its mark.
    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return Diagnostic(.file(path: file, line: mark.line, column: mark.column), "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first of the keys and gives the whole file as context: point at the repeat instead.
            let key = duplicates.sorted().first ?? ""
            let first = context.mark
            let repeated = repeatedKey(key, in: context.text, after: first)
            return Diagnostic(
                .file(path: file, line: repeated?.line ?? first.line, column: repeated?.column ?? first.column),
                "duplicate key '\(key)' (first at line \(first.line), column \(first.column))")
        case .reader(let problem, _, _, _):
            return Diagnostic(.file(path: file, line: 1, column: 1), "unreadable YAML: \(problem)")
        default:
            return Diagnostic(.file(path: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }
}
