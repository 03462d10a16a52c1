import CYaml

/// Bounds how far a pipeline file's YAML aliases expand, checked before Yams composes the file.
///
/// Yams compares mapping keys by hashing each key's whole tree with its aliases expanded, so a few hundred bytes
/// of nested anchors used as a key ("billion laughs") keep composing busy for hours. This walks libyaml's events
/// once, sizing every anchored node with its aliases expanded, and finds the alias that takes the file past the
/// budget; a pipeline file stays far below it.
enum AliasExpansion {
    /// The most nodes a file may hold once its aliases are expanded.
    static let nodeBudget = 100_000

    /// The 1-based line and column of the alias that takes `yaml` past `budget` expanded nodes; nil within the
    /// budget, and for YAML that does not parse (composing reports that, with its position).
    static func firstExcess(in yaml: String, budget: Int = nodeBudget) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchored: [String: Int] = [:]  // expanded sizes of the anchored nodes so far
            var open: [(anchor: String?, size: Int)] = []  // the collections being read, innermost last
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let completed: (anchor: String?, size: Int)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    completed = (name(event.data.scalar.anchor), 1)
                case YAML_ALIAS_EVENT:
                    completed = (nil, name(event.data.alias.anchor).flatMap { anchored[$0] } ?? 1)
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1))
                    continue
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1))
                    continue
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let collection = open.popLast() else { return nil }
                    completed = collection
                default:
                    continue
                }
                if let anchor = completed.anchor { anchored[anchor] = completed.size }
                // Every size here is within the budget, so the sum cannot overflow.
                if !open.isEmpty { open[open.count - 1].size += completed.size }
                if completed.size > budget || (open.last?.size ?? 0) > budget {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
