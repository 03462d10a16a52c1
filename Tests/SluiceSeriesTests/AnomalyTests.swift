import Foundation
import FoundationXML
import SluiceSeries
import Testing

@Suite("Anomaly scoring and plots")
struct AnomalyTests {
    /// A jump in an otherwise steady residual stream scores near 1; the steady part stays low.
    @Test func residualJumpScoresHigh() {
        var detector = ResidualDetector(.init(windowRows: 200, shortRows: 3))
        var scores = [Double]()
        for t in 0..<400 {
            let residual = t == 300 ? 25.0 : sin(Double(t) * 1.7)  // bounded noise, one spike
            scores.append(ResidualDetector.probability(detector.standardScore(residual: residual)))
        }
        #expect(scores[0..<19].allSatisfy { $0 == 0 })  // warming up: z = −∞
        #expect(scores[300] > 0.999)
        #expect(scores[100..<300].allSatisfy { $0 < 0.999 })
        #expect(detector.standardScore(residual: nil) == -.infinity && detector.standardScore(residual: .nan) == -.infinity)
    }

    /// One glitch is flagged, and the rows whose forecasts it spoils (`glitchRows`) are neither scored nor learned,
    /// so a real jump later on is still flagged (a mean and std over the window would hide it for 6400 rows).
    @Test func aGlitchDoesNotBlindTheDetector() {
        var detector = ResidualDetector(.init(windowRows: 6400, shortRows: 2, glitchRows: 336))
        var scores = [Double]()
        for t in 0..<3000 {
            let noise = sin(Double(t) * 1.7)
            let residual = t == 500 ? 1e5 : (501..<600).contains(t) ? 3000 * noise : (1500..<1504).contains(t) ? 12 + noise : noise
            scores.append(detector.standardScore(residual: residual))
        }
        #expect(scores[500] > 1000)
        #expect(scores[501...836].allSatisfy { $0 == -.infinity })
        #expect(scores[837..<1500].allSatisfy { $0 < 6 })
        #expect(scores[1500..<1504].contains { $0 >= 6 })
    }

    /// The SVG is well-formed XML with one circle per anomaly and both lines drawn.
    @Test func plotIsWellFormedSVG() throws {
        let actual: [Float] = (0..<100).map { Float(sin(Double($0) / 5)) }
        var forecast = actual.map { $0 + 0.05 }
        forecast[0] = .nan
        let svg = SVGPlot(title: "load <kW>", actual: actual, forecast: forecast, anomalies: [10, 50]).render()
        let parser = XMLParser(data: Data(svg.utf8))
        final class Counter: NSObject, XMLParserDelegate {
            var elements: [String: Int] = [:]
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                elements[name, default: 0] += 1
            }
        }
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.elements["svg"] == 1 && counter.elements["circle"] == 2 && counter.elements["path"] == 2)
        #expect(svg.contains("load &lt;kW&gt;"))
    }

    /// Timestamps as tools write them read as UTC seconds; anything else is not a time.
    @Test func timestampsReadAsTimes() {
        #expect(TimeAxis.seconds("2014-04-09 08:05:00") == 1_397_030_700)
        #expect(TimeAxis.seconds("2014-04-09T08:05:00Z") == 1_397_030_700)
        #expect(TimeAxis.seconds("2014-04-09T10:05:00+02:00") == 1_397_030_700)
        #expect(TimeAxis.seconds("2014-04-09 08:05:00.5") == 1_397_030_700.5)
        #expect(TimeAxis.seconds("2014-04-09") == 1_397_001_600)
        #expect(TimeAxis.seconds("2000-02-29") == 951_782_400 && TimeAxis.seconds("1900-02-29") == nil)
        #expect(TimeAxis.seconds("1397030700") == 1_397_030_700 && TimeAxis.seconds("1397030700000") == 1_397_030_700)
        #expect(TimeAxis.seconds("2014-13-01") == nil && TimeAxis.seconds("12:00") == nil && TimeAxis.seconds("42") == nil)
        #expect(TimeAxis.times(["2020-01-02", "2020-01-01"]) == nil)
    }

    /// Ticks fall on round times, labelled for the span: hours with the date where it changes, then days, months.
    @Test func timeTicksAreRound() throws {
        let start = try #require(TimeAxis.seconds("2014-04-09 08:00:00")), end = try #require(TimeAxis.seconds("2014-04-12 19:15:00"))
        let ticks = TimeAxis.ticks(from: start, to: end)
        #expect(ticks.map(\.label) == ["12:00", "00:00", "12:00", "00:00", "12:00", "00:00", "12:00"])
        #expect(ticks.compactMap(\.date) == ["2014-04-09", "2014-04-10", "2014-04-11", "2014-04-12"])
        let months = TimeAxis.ticks(from: try #require(TimeAxis.seconds("2013-11-20")), to: try #require(TimeAxis.seconds("2014-05-02")))
        #expect(months.map(\.label) == ["2013-12", "2014-01", "2014-02", "2014-03", "2014-04", "2014-05"])
    }
}
