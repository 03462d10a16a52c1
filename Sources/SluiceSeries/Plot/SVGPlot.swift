import Foundation

/// Renders a series as a standalone SVG line chart: the actual values, a forecast, anomaly markers, the
/// forecaster's warm-up span shaded, and axes with ticks: dates and times when the rows have timestamps
/// (``TimeAxis``), row numbers otherwise.
public struct SVGPlot: Sendable {
    public var title: String
    public var actual: [Float]
    /// The forecast for each row (NaN where there is none), drawn dashed.
    public var forecast: [Float]
    /// Rows flagged as anomalies, marked with red circles on the actual line.
    public var anomalies: [Int]
    /// Each row's timestamp as the input wrote it; rows are placed by time when every one reads as a time.
    public var timestamps: [String] = []
    /// Rows at the start that the model only watches (no forecast yet), shaded.
    public var warmUpRows = 0
    /// The value axis's label (the channel's name).
    public var valueLabel: String?
    public var width = 960.0, height = 400.0

    public init(title: String, actual: [Float], forecast: [Float], anomalies: [Int]) {
        self.title = title
        self.actual = actual
        self.forecast = forecast
        self.anomalies = anomalies
    }

    private static let margin = (left: 70.0, right: 20.0, top: 34.0, bottom: 62.0)

    /// The SVG document.
    public func render() -> String {
        let margin = Self.margin
        let rows = max(actual.count, forecast.count, 1)
        let finite = (actual + forecast).filter(\.isFinite)
        let valueTicks = Self.niceTicks(low: Double(finite.min() ?? 0), high: Double(finite.max() ?? 1))
        let low = valueTicks.first!, high = valueTicks.last!
        let times = timestamps.count == rows ? TimeAxis.times(timestamps) : nil
        let first = times?.first ?? 0, last = times?.last ?? Double(rows - 1)
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func x(position: Double) -> Double { margin.left + (last > first ? (position - first) / (last - first) : 0.5) * plotWidth }
        func x(_ row: Int) -> Double { x(position: times?[row] ?? Double(row)) }
        func y(_ value: Double) -> Double { height - margin.bottom - (value - low) / (high - low) * plotHeight }
        func path(_ values: [Float]) -> String {
            var d = "", pen = false
            for (row, value) in values.enumerated() {
                guard value.isFinite else {
                    pen = false
                    continue
                }
                d += String(format: "%@%.1f,%.1f ", pen ? "L" : "M", x(row), y(Double(value)))
                pen = true
            }
            return d
        }
        let bottom = height - margin.bottom, right = width - margin.right
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin.left)" y="20" font-size="14">\(Self.escaped(title))</text>

            """
        if warmUpRows > 0 {
            let end = x(min(warmUpRows, rows - 1))
            svg += """
                <rect x="\(f(margin.left))" y="\(f(margin.top))" width="\(f(max(end - margin.left, 1)))" height="\(f(plotHeight))" fill="#eeeeee"/>
                <text x="\(f(margin.left + 4))" y="\(f(margin.top + 14))" fill="#777">warm-up</text>

                """
        }
        for value in valueTicks {
            svg += """
                <line x1="\(f(margin.left))" y1="\(f(y(value)))" x2="\(f(right))" y2="\(f(y(value)))" stroke="#e4e4e4"/>
                <text x="\(f(margin.left - 6))" y="\(f(y(value) + 4))" text-anchor="end">\(Self.number(value))</text>

                """
        }
        let xTicks: [(position: Double, label: String, date: String?)] =
            times == nil
            ? Self.niceTicks(low: 0, high: Double(rows - 1), target: 8).filter { $0 >= 0 && $0 <= Double(rows - 1) }.map {
                ($0, Self.number($0), nil)
            }
            : TimeAxis.ticks(from: first, to: last).map { ($0.time, $0.label, $0.date) }
        for tick in xTicks {
            let at = f(x(position: tick.position))
            svg += """
                <line x1="\(at)" y1="\(f(bottom))" x2="\(at)" y2="\(f(bottom + 5))" stroke="#999"/>
                <text x="\(at)" y="\(f(bottom + 18))" text-anchor="middle">\(tick.label)</text>

                """
            if let date = tick.date { svg += "<text x=\"\(at)\" y=\"\(f(bottom + 32))\" text-anchor=\"middle\" fill=\"#555\">\(date)</text>\n" }
        }
        let xLabel = times == nil ? "row" : "time (UTC)"
        svg += """
            <line x1="\(f(margin.left))" y1="\(f(bottom))" x2="\(f(right))" y2="\(f(bottom))" stroke="#999"/>
            <line x1="\(f(margin.left))" y1="\(f(margin.top))" x2="\(f(margin.left))" y2="\(f(bottom))" stroke="#999"/>
            <text x="\(f(margin.left + plotWidth / 2))" y="\(f(height - 8))" text-anchor="middle">\(xLabel)</text>
            <text x="16" y="\(f(margin.top + plotHeight / 2))" text-anchor="middle" transform="rotate(-90 16 \(f(margin.top + plotHeight / 2)))">\(Self.escaped(valueLabel ?? title))</text>
            <path d="\(path(actual))" fill="none" stroke="#1f77b4" stroke-width="1"/>
            <path d="\(path(forecast))" fill="none" stroke="#ff7f0e" stroke-width="1" stroke-dasharray="4 2"/>

            """
        for row in anomalies where row < actual.count && actual[row].isFinite {
            svg += "<circle cx=\"\(f(x(row)))\" cy=\"\(f(y(Double(actual[row]))))\" r=\"4\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
        }
        svg += """
            <text x="\(f(width - 260))" y="20" fill="#1f77b4">— actual</text>
            <text x="\(f(width - 190))" y="20" fill="#ff7f0e">- - forecast</text>
            <text x="\(f(width - 100))" y="20" fill="#d62728">○ anomaly</text>
            </svg>

            """
        return svg
    }

    /// Round values (1, 2 or 5 times a power of ten apart) from at or below `low` to at or above `high`, about
    /// `target` of them.
    static func niceTicks(low: Double, high: Double, target: Int = 6) -> [Double] {
        let (low, high) = high > low ? (low, high) : (low - 1, low + 1)
        let rough = (high - low) / Double(max(target - 1, 1))
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let start = (low / step).rounded(.down), end = (high / step).rounded(.up)
        return stride(from: start, through: end, by: 1).map { $0 * step }
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func number(_ value: Double) -> String {
        String(format: "%.6g", abs(value) < 1e-12 ? 0 : value)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
