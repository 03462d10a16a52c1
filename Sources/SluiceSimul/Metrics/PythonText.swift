/// The few Python string rules that sacreBLEU's results depend on, on Unicode scalars (Python's code points).
///
/// Swift's `String` compares canonically equivalent text as equal ("é" == "e\u{301}"); sacreBLEU does not, so
/// the quality metrics work on scalar arrays to count exactly what it counts.
enum PythonText {
    /// Whether Python's `str.split()` and `str.strip()` treat a scalar as whitespace: Unicode `White_Space`
    /// plus the four information separators U+001C…U+001F, which `str.isspace()` also counts.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// `line.split()`: the runs of non-whitespace scalars.
    static func split(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        line.split(whereSeparator: isWhitespace).map(Array.init)
    }

    /// `''.join(line.split())`: the line with every whitespace scalar removed.
    static func removingWhitespace(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        line.filter { !isWhitespace($0) }
    }

    /// `line.rstrip()`.
    static func trimmingTrailingWhitespace(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let last = line.lastIndex(where: { !isWhitespace($0) }) else { return [] }
        return Array(line[...last])
    }

    /// `line.replace(old, new)`: every non-overlapping occurrence, left to right.
    static func replacing(_ old: [Unicode.Scalar], with new: [Unicode.Scalar], in line: [Unicode.Scalar])
        -> [Unicode.Scalar]
    {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count)
        var index = 0
        while index < line.count {
            if line.hasOccurrence(of: old, at: index) {
                result += new
                index += old.count
            } else {
                result.append(line[index])
                index += 1
            }
        }
        return result
    }
}
