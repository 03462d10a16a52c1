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
}
