import Dispatch
import Foundation

/// Shows a batch's progress on stderr: on a terminal, one bar redrawn in place (twice a second and
/// after each input); otherwise one plain line per finished input, for logs.
public final class ProgressDisplay: @unchecked Sendable {  // state is guarded by `lock`
    private let terminal: Bool
    private let started = Date()
    private let lock = NSLock()
    private var tally: BatchTally
    private var timer: (any DispatchSourceTimer)?
    private var drawn = false

    /// Starts showing `tally`; `terminal` picks the redrawn bar over plain lines.
    public init(tally: BatchTally, terminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.tally = tally
        self.terminal = terminal
        guard terminal else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sluice.batch.progress"))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.lock.withLock { self?.redraw() } }
        timer.resume()
        self.timer = timer
        lock.withLock { redraw() }
    }

    deinit { timer?.cancel() }

    /// Seconds since the display started.
    public var wallSeconds: Double { Date().timeIntervalSince(started) }

    /// Counts a finished input and shows it.
    public func record(_ entry: ManifestEntry) {
        lock.withLock {
            tally.record(entry)
            var note: String?
            if entry.status == .failed {
                note = "sluice: batch: failed: \(entry.input): \(entry.error ?? "unknown error")"
            } else if !terminal {
                note =
                    "sluice: batch: [\(tally.finished)/\(tally.total)] \(entry.input) ok "
                    + "(\(BatchTally.fixed(entry.audioSeconds, 1)) s audio in \(BatchTally.fixed(entry.wallSeconds, 2)) s)"
            }
            if let note { write(terminal ? "\r\u{1B}[K" + note + "\n" : note + "\n") }
            if terminal {
                redraw()
            } else if entry.status == .failed || tally.finished == tally.total {
                write("sluice: batch: " + tally.progressLine(wallSeconds: wallSeconds) + "\n")
            }
        }
    }

    /// Prints a message above the bar.
    public func note(_ message: String) {
        lock.withLock {
            write(terminal && drawn ? "\r\u{1B}[K" + message + "\n" : message + "\n")
            if terminal { redraw() }
        }
    }

    /// Stops redrawing, clears the bar and returns the totals.
    public func finish() -> BatchTally {
        timer?.cancel()
        return lock.withLock {
            if terminal && drawn { write("\r\u{1B}[K") }
            drawn = false
            timer = nil
            return tally
        }
    }

    private func redraw() {
        guard terminal, timer != nil else { return }
        write("\r\u{1B}[K" + tally.progressLine(wallSeconds: wallSeconds))
        drawn = true
    }

    private func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
