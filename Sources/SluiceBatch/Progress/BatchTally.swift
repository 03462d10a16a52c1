import Foundation

/// Running totals of a batch, and their rendering as a progress line and a summary table.
public struct BatchTally: Sendable {
    /// Inputs in this shard, and how many of them were already done (skipped).
    public var total: Int
    public var skipped: Int
    public var succeeded = 0
    public var failed = 0
    /// Seconds of audio in the inputs processed by this run.
    public var audioSeconds = 0.0
    /// Bytes of the inputs to process, and of those processed so far (for the ETA).
    public var pendingBytes: Int64
    public var processedBytes: Int64 = 0

    public init(total: Int, skipped: Int, pendingBytes: Int64) {
        self.total = total
        self.skipped = skipped
        self.pendingBytes = pendingBytes
    }

    /// Inputs finished, skipped ones included.
    public var finished: Int { skipped + succeeded + failed }

    /// Counts one processed input.
    public mutating func record(_ entry: ManifestEntry) {
        if entry.status == .ok { succeeded += 1 } else { failed += 1 }
        audioSeconds += entry.audioSeconds
        processedBytes += entry.size
    }

    /// Audio seconds per wall second.
    public func realtimeFactor(wallSeconds: Double) -> Double {
        wallSeconds > 0 ? audioSeconds / wallSeconds : 0
    }

    /// Seconds left, extrapolated from the bytes processed so far; nil before the first input.
    public func remainingSeconds(wallSeconds: Double) -> Double? {
        guard processedBytes > 0 else { return nil }
        return wallSeconds * Double(max(0, pendingBytes - processedBytes)) / Double(processedBytes)
    }

    /// `[#####.....] 12/40 files  0.21 h audio  13.5×RT  ETA 1m05s  (1 failed)`; a bar of `barWidth`.
    public func progressLine(wallSeconds: Double, barWidth: Int = 24) -> String {
        let fraction = total == 0 ? 1 : Double(finished) / Double(total)
        let filled = min(barWidth, Int(fraction * Double(barWidth)))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]"
        let eta = remainingSeconds(wallSeconds: wallSeconds).map(Self.clock) ?? "--"
        var line =
            "\(bar) \(finished)/\(total) files  \(Self.hours(audioSeconds)) h audio  "
            + "\(Self.fixed(realtimeFactor(wallSeconds: wallSeconds), 1))×RT  ETA \(eta)"
        if failed > 0 { line += "  (\(failed) failed)" }
        return line
    }

    /// Inputs not finished: not started (the run stopped early) or cancelled.
    public var left: Int { max(0, total - finished) }

    /// The end-of-run table: files, ok, failed, skipped (already done), left (not run: the run
    /// stopped), audio hours, wall seconds, ×RT; ok + failed + skipped + left = files.
    public func summary(wallSeconds: Double) -> String {
        let header = ["files", "ok", "failed", "skipped", "left", "audio h", "wall s", "×RT"]
        let row = [
            "\(total)", "\(succeeded)", "\(failed)", "\(skipped)", "\(left)", Self.hours(audioSeconds),
            Self.fixed(wallSeconds, 1), Self.fixed(realtimeFactor(wallSeconds: wallSeconds), 1),
        ]
        let widths = zip(header, row).map { max($0.count, $1.count) }
        func render(_ cells: [String]) -> String {
            zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        return render(header) + "\n" + render(row)
    }

    static func hours(_ seconds: Double) -> String { fixed(seconds / 3600, 3) }

    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    /// `1h02m`, `3m05s`, `42s`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h" + pad(total % 3600 / 60) + "m" }
        if total >= 60 { return "\(total / 60)m" + pad(total % 60) + "s" }
        return "\(total)s"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
