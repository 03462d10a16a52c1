import Foundation

/// The `--stats` table: one row per node with its counters.
public enum StatsTable {
    /// Renders the metrics of a run that took `wallSeconds`.
    public static func render(_ nodes: [GraphRunner.NodeMetrics], wallSeconds: Double) -> String {
        let header = ["stage", "type", "in", "in MB", "out", "out MB", "busy s", "busy %", "queue max", "drops", "clipped", "errors"]
        var rows = [header]
        for node in nodes {
            let m = node.metrics
            let busyShare = wallSeconds > 0 ? m.busySeconds / wallSeconds * 100 : 0
            rows.append([
                node.id, node.type,
                "\(m.packetsIn)", megabytes(m.bytesIn),
                "\(m.packetsOut)", megabytes(m.bytesOut),
                m.busySeconds.formatted(fixed: 3), busyShare.formatted(fixed: 1),
                m.queueCapacity > 0 ? "\(m.queueHighWater)/\(m.queueCapacity)" : "-",
                "\(m.drops)", "\(m.clipped)", "\(m.errors)",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column < 2 ? cell.padding(to: widths[column]) : cell.leftPadding(to: widths[column])
            }.joined(separator: "  ")
        }
        lines.append("wall time \(wallSeconds.formatted(fixed: 3)) s")
        return lines.joined(separator: "\n")
    }

    private static func megabytes(_ bytes: Int) -> String {
        (Double(bytes) / 1_048_576).formatted(fixed: 2)
    }
}

extension Double {
    /// Fixed-point rendering with `digits` decimals.
    func formatted(fixed digits: Int) -> String { String(format: "%.\(digits)f", self) }
}

extension String {
    fileprivate func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    fileprivate func leftPadding(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
