import Foundation
import SluiceFiles
import SluiceWhisper

/// The progress line `sluice transcribe` keeps on a terminal's stderr: audio done of the total, speed and time
/// left, rewritten in place (nothing is shown when stderr is not a terminal).
struct ProgressLine {
    let name: String
    private let started = ContinuousClock.now

    /// Whether standard error is a terminal.
    static var isShown: Bool { isatty(STDERR_FILENO) != 0 }

    /// Rewrites the line for `done` of `total` seconds of audio.
    func update(done: Double, total: Double) {
        let elapsed = started.duration(to: .now).seconds
        try? FileDescriptor.write(Self.render(name: name, done: done, total: total, elapsed: elapsed), to: STDERR_FILENO, name: "stderr")
    }

    /// Clears the line.
    func clear() {
        try? FileDescriptor.write("\r\u{1B}[2K", to: STDERR_FILENO, name: "stderr")
    }

    /// `\r`, clear the line, then `NAME [#####.....]  12.3/60.0 s  2.1x  ETA 0:27`.
    static func render(name: String, done: Double, total: Double, elapsed: Double, width: Int = 24) -> String {
        let fraction = total > 0 ? min(1, max(0, done / total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let speed = elapsed > 0 && done > 0 ? String(format: "%.1fx", done / elapsed) : "-"
        let left = done > 0 && elapsed > 0 ? Int(((total - done) * elapsed / done).rounded()) : nil
        let eta = left.map { String(format: "ETA %d:%02d", $0 / 60, $0 % 60) } ?? "ETA -"
        return "\r\u{1B}[2K\(name) [\(bar)] \(String(format: "%.1f/%.1f s", done, total))  \(speed)  \(eta)"
    }
}
