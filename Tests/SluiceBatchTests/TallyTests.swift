import SluiceBatch
import Testing

/// Progress line and summary table arithmetic.
@Suite struct TallyTests {
    static func entry(_ status: ManifestEntry.Status, audio: Double, size: Int64) -> ManifestEntry {
        ManifestEntry(
            input: BatchInput(path: "x", relativePath: "x", size: size, modified: 0), status: status, outputs: [],
            error: status == .failed ? "bad" : nil, audioSeconds: audio, wallSeconds: 1)
    }

    @Test func progressLineShowsCountsHoursSpeedAndETA() {
        var tally = BatchTally(total: 10, skipped: 2, pendingBytes: 800)
        #expect(tally.progressLine(wallSeconds: 0, barWidth: 10).hasPrefix("[##........] 2/10 files"))
        #expect(tally.progressLine(wallSeconds: 0).contains("ETA --"))
        tally.record(Self.entry(.ok, audio: 1800, size: 200))
        tally.record(Self.entry(.failed, audio: 0, size: 200))
        // 400 of 800 bytes in 60 s: 60 s left; 1800 s of audio in 60 s: 30×RT.
        let line = tally.progressLine(wallSeconds: 60, barWidth: 10)
        #expect(line == "[####......] 4/10 files  0.500 h audio  30.0×RT  ETA 1m00s  (1 failed)")
        #expect(tally.finished == 4)
    }

    @Test func summaryTableHasOneAlignedRow() {
        var tally = BatchTally(total: 3, skipped: 1, pendingBytes: 2)
        tally.record(Self.entry(.ok, audio: 7200, size: 1))
        tally.record(Self.entry(.failed, audio: 0, size: 1))
        let lines = tally.summary(wallSeconds: 100).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].count == lines[1].count)
        #expect(lines[0].split(separator: " ").prefix(5) == ["files", "ok", "failed", "skipped", "left"])
        #expect(lines[1].split(separator: " ") == ["3", "1", "1", "1", "0", "2.000", "100.0", "72.0"])
        // A run stopped early: the inputs not run make the row add up.
        var stopped = BatchTally(total: 7, skipped: 0, pendingBytes: 7)
        for status in [ManifestEntry.Status.ok, .ok, .ok, .ok, .failed] { stopped.record(Self.entry(status, audio: 1, size: 1)) }
        #expect(stopped.summary(wallSeconds: 1).split(separator: "\n")[1].split(separator: " ").prefix(5) == ["7", "4", "1", "0", "2"])
    }
}
