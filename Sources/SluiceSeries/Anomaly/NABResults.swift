import Foundation

/// NAB's results files, so that NAB's own scorer (`run.py --optimize --score --normalize`) scores what Sluice's
/// scorer scores: `DIR/<detector>/<group>/<detector>_<file>.csv` with `timestamp,value,anomaly_score,label`, as
/// `nab/detectors/base.py` writes them.
public enum NABResults {
    /// A standard score as an anomaly score in [0, 1]: ½ + ½·z/(1 + |z|), and 0 for −∞ (no score yet). NAB's scorer
    /// needs [0, 1] (its sweep starts at 1.1, and its per-file lookup of a threshold above 1 fails). Strictly
    /// increasing and, unlike Φ(z), unsaturated in Double for any z a detector gives, so the ranking, and with it
    /// the NAB score, is z's.
    public static func unitScore(_ z: Double) -> Double {
        guard z > -.infinity else { return 0 }
        return 0.5 + 0.5 * z / (1 + abs(z))
    }

    /// The standard score of an anomaly score from `unitScore` (−∞ for 0).
    public static func standardScore(_ unit: Double) -> Double {
        guard unit > 0 else { return -.infinity }
        let u = 2 * unit - 1
        return u / (1 - abs(u))
    }

    /// A score as the results file writes it: 15 significant digits, which any decimal parser (pandas's included)
    /// reads back in the same order and with the same ties.
    public static func text(_ score: Double) -> String { String(format: "%.15g", score) }

    /// A score as read back from its results file: what both scorers then score.
    public static func written(_ score: Double) -> Double { Double(text(score))! }

    /// The results file of one corpus file (`group/file.csv`) in a detector's folder: `folder/group/<detector>_file.csv`.
    public static func path(folder: String, detector: String, file: String) -> String {
        let parts = file.split(separator: "/").map(String.init)
        return ([folder] + parts.dropLast() + ["\(detector)_\(parts.last!)"]).joined(separator: "/")
    }

    /// The results file of one corpus file under a results root: `root/<detector>/group/<detector>_file.csv`.
    public static func path(root: String, detector: String, file: String) -> String {
        path(folder: root + "/" + detector, detector: detector, file: file)
    }

    /// Writes one file's results: its rows with their anomaly scores (already in [0, 1]) and 0/1 window labels.
    public static func write(_ entry: NABCorpus.Entry, scores: [Double], detector: String, root: String) throws {
        precondition(scores.count == entry.values.count)
        var label = [UInt8](repeating: 0, count: scores.count)
        for window in entry.windows { for row in window { label[row] = 1 } }
        var text = "timestamp,value,anomaly_score,label\n"
        text.reserveCapacity(scores.count * 48)
        for row in scores.indices {
            text += "\(entry.timestamps[row]),\(entry.values[row]),\(Self.text(scores[row])),\(label[row])\n"
        }
        let path = path(root: root, detector: detector, file: entry.name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The `anomaly_score` column of a results file (another detector's, such as NAB's published ones), as Doubles
    /// (NAB's files are plain comma-separated numbers; its timestamps hold no commas).
    public static func readScores(path: String) throws -> [Double] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SeriesInputError(row: nil, message: "\(path): cannot read the results file")
        }
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next(), let column = header.split(separator: ",").firstIndex(of: "anomaly_score") else {
            throw SeriesInputError(row: 1, message: "\(path): no anomaly_score column")
        }
        var scores = [Double]()
        var row = 1
        while let line = lines.next() {
            row += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard column < fields.count, let score = Double(fields[column]) else {
                throw SeriesInputError(row: row, message: "\(path): no anomaly score")
            }
            scores.append(score)
        }
        return scores
    }
}
