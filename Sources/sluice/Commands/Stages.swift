import ArgumentParser
import Foundation
import SluiceCore
import SluicePipelines

/// `sluice stages [--describe TYPE]`: lists the stage, input and output types.
struct Stages: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List stage types, or describe one with its options.")

    @Option(name: .long, help: "Describe one type: its options, their types, defaults and help.")
    var describe: String?

    func run() throws {
        let registry = StageRegistry.standard
        guard let name = describe else {
            try list(registry)
            return
        }
        let entries: [(String, String, [OptionSpec])] =
            [
                registry.stages[name].map { ("stage", $0.summary, $0.options) },
                registry.sources[name].map { ("input", $0.summary, $0.options) },
                registry.sinks[name].map { ("output", $0.summary, $0.options) },
            ].compactMap { $0 }
        guard !entries.isEmpty else {
            let known = Array(registry.stages.keys) + Array(registry.sources.keys) + Array(registry.sinks.keys)
            throw ValidationError("unknown type '\(name)'. Known: \(Set(known).sorted().joined(separator: ", "))")
        }
        for (role, summary, options) in entries {
            try printLine("\(name) (\(role)): \(summary)")
            if let type = registry.stages[name], role == "stage", type.inputCount != 1...1 {
                try printLine("  inputs: \(type.inputCount.lowerBound) to \(type.inputCount.upperBound)")
            }
            for option in options where !option.isTuning { try printLine(Self.line(option)) }
            let tuning = options.filter(\.isTuning)
            if !tuning.isEmpty {
                try printLine("  tuning (measured defaults, Benchmarks/RESULTS.md):")
                for option in tuning { try printLine("  " + Self.line(option)) }
            }
            if options.isEmpty { try printLine("  (no options)") }
        }
    }

    /// `  name: type in range (default …) — help`.
    static func line(_ option: OptionSpec) -> String {
        let value = option.defaultValue.map { "default \($0)" } ?? (option.isRequired ? "required" : "optional")
        let range =
            switch option.kind {
            case .integer(let range?): " in \(range.lowerBound)...\(range.upperBound)"
            case .number(let range?): " in \(range.lowerBound.formatted(maxFractionDigits: 6))...\(range.upperBound.formatted(maxFractionDigits: 6))"
            default: ""
            }
        return "  \(option.name): \(option.kind.name)\(range) (\(value)) — \(option.help)"
    }

    private func list(_ registry: StageRegistry) throws {
        let sections: [(String, [(String, String)])] = [
            ("Inputs", registry.sources.values.map { ($0.name, $0.summary) }),
            ("Stages", registry.stages.values.map { ($0.name, $0.summary) }),
            ("Outputs", registry.sinks.values.map { ($0.name, $0.summary) }),
        ]
        for (title, rows) in sections {
            try printLine("\(title):")
            let width = rows.map(\.0.count).max() ?? 0
            for (name, summary) in rows.sorted(by: { $0.0 < $1.0 }) {
                try printLine("  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(summary)")
            }
        }
    }
}
