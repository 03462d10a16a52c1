import Foundation

/// Renders a series as a standalone SVG line chart: the actual values, a forecast, and anomaly markers.
public struct SVGPlot: Sendable {
    public var title: String
    public var actual: [Float]
    /// The forecast for each row (NaN where there is none), drawn dashed.
    public var forecast: [Float]
    /// Rows flagged as anomalies, marked with red circles on the actual line.
    public var anomalies: [Int]
    public var width = 960.0, height = 360.0

    public init(title: String, actual: [Float], forecast: [Float], anomalies: [Int]) {
        self.title = title
        self.actual = actual
        self.forecast = forecast
        self.anomalies = anomalies
    }

    /// The SVG document.
    public func render() -> String {
        let margin = (left: 60.0, right: 20.0, top: 30.0, bottom: 30.0)
        let finite = (actual + forecast).filter(\.isFinite)
        let low = Double(finite.min() ?? 0), high = Double(finite.max() ?? 1)
        let span = high > low ? high - low : 1
        let rows = max(actual.count, forecast.count, 2)
        func x(_ row: Int) -> Double { margin.left + Double(row) / Double(rows - 1) * (width - margin.left - margin.right) }
        func y(_ value: Float) -> Double { height - margin.bottom - (Double(value) - low) / span * (height - margin.top - margin.bottom) }
        func path(_ values: [Float]) -> String {
            var d = "", pen = false
            for (row, value) in values.enumerated() {
                guard value.isFinite else {
                    pen = false
                    continue
                }
                d += String(format: "%@%.1f,%.1f ", pen ? "L" : "M", x(row), y(value))
                pen = true
            }
            return d
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin.left)" y="18" font-size="14">\(escaped(title))</text>
            <line x1="\(margin.left)" y1="\(height - margin.bottom)" x2="\(width - margin.right)" y2="\(height - margin.bottom)" stroke="#999"/>
            <line x1="\(margin.left)" y1="\(margin.top)" x2="\(margin.left)" y2="\(height - margin.bottom)" stroke="#999"/>
            <text x="\(margin.left - 6)" y="\(margin.top + 4)" text-anchor="end">\(String(format: "%.4g", high))</text>
            <text x="\(margin.left - 6)" y="\(height - margin.bottom)" text-anchor="end">\(String(format: "%.4g", low))</text>
            <text x="\(width - margin.right)" y="\(height - 8)" text-anchor="end">\(rows) rows</text>
            <path d="\(path(actual))" fill="none" stroke="#1f77b4" stroke-width="1"/>
            <path d="\(path(forecast))" fill="none" stroke="#ff7f0e" stroke-width="1" stroke-dasharray="4 2"/>

            """
        for row in anomalies where row < actual.count && actual[row].isFinite {
            svg += String(
                format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n", x(row), y(actual[row]))
        }
        svg += """
            <text x="\(width - 260)" y="18" fill="#1f77b4">— actual</text>
            <text x="\(width - 190)" y="18" fill="#ff7f0e">- - forecast</text>
            <text x="\(width - 100)" y="18" fill="#d62728">○ anomaly</text>
            </svg>

            """
        return svg
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
