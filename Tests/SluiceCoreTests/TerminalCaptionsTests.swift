import Testing

@testable import SluiceCore

/// Live captions replayed on a small emulated terminal (auto-wrap, `\r`, `\n`, cursor up, erase below):
/// the screen must hold the final lines and the current partial, and nothing else.
@Suite struct TerminalCaptionsTests {
    /// Just enough of a VT100 for what `TerminalCaptions` writes.
    struct Screen {
        let columns: Int
        var rows: [[Character]] = [[]]
        var row = 0, column = 0

        mutating func play(_ bytes: String) {
            var characters = Array(bytes)[...]
            while let character = characters.popFirst() {
                switch character {
                case "\r": column = 0
                case "\n":
                    row += 1
                    column = 0
                    if row == rows.count { rows.append([]) }
                case "\u{1B}":
                    #expect(characters.popFirst() == "[")
                    var digits = ""
                    while let next = characters.first, next.isNumber { digits.append(characters.removeFirst()) }
                    switch characters.removeFirst() {
                    case "A": row = max(0, row - (Int(digits) ?? 1))
                    case "J":
                        rows[row].removeSubrange(min(column, rows[row].count)...)
                        rows.removeSubrange((row + 1)...)
                    default: Issue.record("unexpected escape")
                    }
                default:
                    if column == columns {  // auto-wrap
                        row += 1
                        column = 0
                        if row == rows.count { rows.append([]) }
                    }
                    while rows[row].count <= column { rows[row].append(" ") }
                    rows[row][column] = character
                    column += 1
                }
            }
        }

        var text: [String] { rows.map { String($0) }.filter { !$0.isEmpty } }
    }

    @Test func aGrowingPartialIsRewrittenWithoutStaleRowsAndFinalsWrap() {
        var captions = TerminalCaptions()
        var screen = Screen(columns: 20)
        let words = "the quick brown fox jumps over the lazy dog and keeps on running far away".split(separator: " ")
        for count in 1...words.count {
            screen.play(captions.show(words[..<count].joined(separator: " "), columns: 20))
            #expect(screen.rows.allSatisfy { $0.count < 20 }, "a row fills the width")
        }
        #expect(screen.text == ["the quick brown fox", "jumps over the lazy", "dog and keeps on", "running far away"])
        // A shorter partial after a longer one: the rows it no longer needs are cleared.
        screen.play(captions.show("the quick", columns: 20))
        #expect(screen.text == ["the quick"])
        screen.play(captions.show("the quick brown fox jumps.\n", columns: 20))
        screen.play(captions.show("Over", columns: 20))
        #expect(screen.text == ["the quick brown fox", "jumps.", "Over"])
        screen.play(captions.finish())
        #expect(screen.column == 0 && screen.row == 3)
    }

    @Test func wordsLongerThanARowAreCut() {
        #expect(TerminalCaptions.wrap("a abcdefghij b", width: 4) == ["a", "abcd", "efgh", "ij b"])
        #expect(TerminalCaptions.wrap("", width: 4).isEmpty)
    }
}
