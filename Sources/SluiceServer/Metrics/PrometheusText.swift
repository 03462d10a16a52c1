import Foundation

/// Builds Prometheus's text exposition format: `# HELP` and `# TYPE` lines, then `name{label="value"} number`.
struct PrometheusText {
    enum Kind: String { case counter, gauge, histogram }

    private(set) var output = ""

    /// Starts a metric family.
    mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample; labels are written sorted by name, their values escaped.
    mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
        sample(name, labels, rendered: String(value))
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        sample(name, labels, rendered: Self.number(value))
    }

    private mutating func sample(_ name: String, _ labels: [String: String], rendered: String) {
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
        output += name + (pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}") + " " + rendered + "\n"
    }

    /// A number as Prometheus reads it: integers without a fraction, others in Swift's shortest form.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A label value with backslash, double quote and newline escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
