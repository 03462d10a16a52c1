/// Live captions on a terminal: final lines scroll up, the partial line is rewritten in place. Both are
/// word-wrapped to the terminal's width, and a rewrite erases every row the previous partial took, so a
/// long partial leaves no stale rows behind.
///
/// Records are those of the `terminal` stream format: a final line ends in a newline, a partial does not.
/// Pure: it says which bytes to write; ``TextSink`` writes them.
public struct TerminalCaptions: Sendable {
    /// Rows the partial on screen takes (0: none; the cursor is then at the start of a row).
    private var partialRows = 0

    public init() {}

    /// The bytes that show `record` on a terminal `columns` wide.
    public mutating func show(_ record: String, columns: Int) -> String {
        var out = ""
        if partialRows > 0 {
            out += "\r" + (partialRows > 1 ? "\u{1B}[\(partialRows - 1)A" : "") + "\u{1B}[J"
        }
        let isFinal = record.hasSuffix("\n")
        let text = isFinal ? String(record.dropLast()) : record
        // One column short of the width: a row that fills it would leave the cursor in the wrap margin.
        let rows = Self.wrap(text, width: max(1, columns - 1))
        if isFinal {
            out += rows.joined(separator: "\n") + "\n"
            partialRows = 0
        } else {
            out += rows.joined(separator: "\n")
            partialRows = rows.count
        }
        return out
    }

    /// What to write at the end: a newline after a partial left on screen, so the shell prompt starts on a row of its own.
    public mutating func finish() -> String {
        defer { partialRows = 0 }
        return partialRows > 0 ? "\n" : ""
    }

    /// `text` in rows of at most `width` characters, broken at spaces (a longer word is cut); no rows for empty text.
    static func wrap(_ text: String, width: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            if !row.isEmpty && row.count + 1 + word.count <= width {
                row += " " + word
                continue
            }
            if !row.isEmpty { rows.append(row) }
            while word.count > width {
                rows.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            row = String(word)
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
