import Foundation
import Testing

/// `sluice series eval|nab` and the time-series pipelines, run through the built binary.
@Suite struct SeriesCommandTests {
    /// A synthetic ETTh1-shaped file (the real one is not a test input): 14400 hourly rows of 7 channels.
    static func syntheticETT() throws -> String {
        var text = "date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT\n"
        for t in 0..<14400 {
            let values = (0..<7).map { c in 5 * Double(c + 1) + 2 * sin(Double(t) * 2 * .pi / 24 + Double(c)) + Double((t * 31 + c * 17) % 13) / 10 }
            text += "2016-07-01 \(t)," + values.map { String(format: "%.3f", $0) }.joined(separator: ",") + "\n"
        }
        let path = try SluiceProcess.temporaryFolder().appendingPathComponent("ETTh1.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func evalPrintsScoresOverEveryTestWindow() throws {
        let data = try Self.syntheticETT()
        let result = try SluiceProcess.run(["series", "eval", "--model", "etth1-96", "--data", data, "--horizon", "96"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Double]
        #expect(json?["windows"] == 2785)
        #expect((json?["mse"] ?? .infinity) < 1 && (json?["mae"] ?? .infinity) > 0)
    }

    @Test func evalUsageAndConfigurationErrors() throws {
        let wrongHorizon = try SluiceProcess.run(["series", "eval", "--model", "etth2-192", "--data", "x.csv", "--horizon", "96"])
        #expect(wrongHorizon.status == 64)
        #expect(wrongHorizon.stderr == "sluice: error: model 'etth2-192' forecasts 192 steps, not 96\n")
        let unknown = try SluiceProcess.run(["series", "eval", "--model", "etth9-96", "--data", "x.csv", "--horizon", "96"])
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("unknown series model 'etth9-96'"))
        let missing = try SluiceProcess.run(["series", "eval", "--model", "etth1-96", "--data", "/nonexistent/ETTh1.csv", "--horizon", "96"])
        #expect(missing.status == 1)
    }

    @Test func forecastPipelineForecastsEveryRowOnceWarm() throws {
        let result = try SluiceProcess.run(
            ["run", "Pipelines/forecast.yaml"], stdinFile: SluiceProcess.packageRoot.appendingPathComponent("Samples/etth1-head.csv").path)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdoutText.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 401)
        #expect(lines[0].count == 1 + 7 + 7 * 6 && lines[0][8] == "HUFL_f1" && lines[0].last == "OT_f6")
        #expect(lines[335].dropFirst(8).allSatisfy { $0.isEmpty })  // 335 rows seen: not warm yet
        #expect(lines[336].dropFirst(8).allSatisfy { Float($0) != nil })  // the 336th row gives the first forecast
    }

    @Test func anomalyPipelineFlagsTheJump() throws {
        let sample = SluiceProcess.packageRoot.appendingPathComponent("Samples/nab-daily-jumpsup.csv").path
        let result = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdinFile: sample)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdoutText.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 1000)
        let flagged = rows.filter { $0[4] == "1" }.map { String($0[0]) }
        #expect(!flagged.isEmpty && flagged.allSatisfy { $0 >= "2014-04-11 09:00:00" && $0 <= "2014-04-11 12:00:00" })
    }

    @Test func anomalyPlotWritesAnSVG() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let svg = folder.appendingPathComponent("anomalies.svg").path
        let sample = SluiceProcess.packageRoot.appendingPathComponent("Samples/nab-daily-jumpsup.csv").path
        let result = try SluiceProcess.run(["run", "Pipelines/anomaly-plot.yaml", "-o", svg], stdinFile: sample)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && text.contains("<circle") && text.hasSuffix("</svg>\n"))
    }

    /// A pandas export with every field quoted and its index unnamed runs through the anomaly chart, whose time
    /// axis shows the dates; Excel's semicolons and decimal commas (with a byte-order mark) give the same rows as
    /// the plain file (Tests/Fixtures/series-exports).
    @Test func exportsFromPandasAndExcelRunAsThePlainFile() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let svg = folder.appendingPathComponent("pandas.svg").path
        let exports = SluiceProcess.packageRoot.appendingPathComponent("Tests/Fixtures/series-exports")
        let plotted = try SluiceProcess.run(
            ["run", "Pipelines/anomaly-plot.yaml", "-o", svg], stdinFile: exports.appendingPathComponent("pandas-quoted.csv").path)
        #expect(plotted.status == 0, "\(plotted.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        for label in ["2014-04-10", "2014-04-11", "12:00", "time (UTC)", "warm-up"] {
            #expect(text.contains(">\(label)</text>"), "no tick or label \(label)")
        }
        let sample = SluiceProcess.packageRoot.appendingPathComponent("Samples/nab-daily-jumpsup.csv").path
        let plain = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdinFile: sample)
        for export in ["pandas-quoted", "excel-de"] {
            let result = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdinFile: exports.appendingPathComponent("\(export).csv").path)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdoutText == plain.stdoutText, "\(export) differs from the plain file")
        }
    }

    @Test func badRowsFailWithTheirRowOrAreSkippedAndCounted() throws {
        let input = Data("timestamp,value\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,3,4\n2020-01-04,5\n".utf8)
        let failed = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdin: input)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("stage 'input' (series): row 3: column 'value': 'abc' is not a number"))
        let skipped = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml", "--set", "input.on_error=skip"], stdin: input)
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("skipped 2 bad row(s); first: row 3"))
        #expect(skipped.stdoutText.split(separator: "\n").count == 3)
        // CRLF line ends are accepted, and a blank line still counts as a row of the file.
        let crlf = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdin: Data("timestamp,value\r\n1,2\r\n\r\n3,x\r\n".utf8))
        #expect(crlf.status == 1)
        #expect(crlf.stderr.contains("row 4: column 'value': 'x' is not a number"))
    }

    @Test func jsonLinesScaleAndWindow() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let pipeline = folder.appendingPathComponent("scale.yaml").path
        try """
        version: 1
        input: { type: series, format: jsonl }
        stages:
          - { id: scale, type: series.scale, mean: "10, 1", std: "2, 4" }
        output: { type: jsonl }
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let input = Data(#"{"ts":"t0","a":12,"b":5}"#.utf8 + [10] + Data(#"{"ts":"t1","a":8,"b":null}"#.utf8) + [10])
        let result = try SluiceProcess.run(["run", pipeline], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "{\"timestamp\":\"t0\",\"a\":1,\"b\":1}\n{\"timestamp\":\"t1\",\"a\":-1,\"b\":1}\n")

        let windowed = folder.appendingPathComponent("window.yaml").path
        try """
        version: 1
        input: { type: series }
        stages:
          - { id: window, type: series.window, length_rows: 3, step_rows: 2 }
        output: { type: npy, path: windows.npy }
        """.write(toFile: windowed, atomically: true, encoding: .utf8)
        let npy = folder.appendingPathComponent("windows.npy").path
        let rows = Data("x,y\n1,10\n2,20\n3,30\n4,40\n5,50\n".utf8)
        let run = try SluiceProcess.run(["run", windowed, "-o", npy], stdin: rows)
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: npy))
        let values = bytes.suffix(2 * 6 * 4).withUnsafeBytes { raw in (0..<12).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        #expect(values == [1, 10, 2, 20, 3, 30, 3, 30, 4, 40, 5, 50])
    }

    /// The sample's rows `copies` times over, with the value of data row `row` (1-based) replaced if given.
    static func sample(copies: Int, replacingRow row: Int? = nil, with value: String = "") throws -> Data {
        let path = SluiceProcess.packageRoot.appendingPathComponent("Samples/nab-daily-jumpsup.csv").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        var rows = [lines[0]] + (0..<copies).flatMap { _ in lines.dropFirst() }
        if let row { rows[row] = rows[row].split(separator: ",")[0] + "," + value }
        return Data((rows.joined(separator: "\n") + "\n").utf8)
    }

    /// The (forecast, flag) columns of anomaly.yaml's output rows.
    static func forecastsAndFlags(_ result: SluiceProcess.Result) -> [(forecast: Float?, flag: Bool)] {
        result.stdoutText.split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return (Float(cells[2]), cells[4] == "1")
        }
    }

    /// One outlier does not corrupt the stream: after a 1e20 value has left the forecaster's 336-row window the
    /// forecasts are the clean run's again, and after a 1e5 glitch (flagged itself) the detector flags the same
    /// later jumps as on the clean series.
    @Test func oneOutlierNeitherCorruptsForecastsNorBlindsTheDetector() throws {
        let clean = Self.forecastsAndFlags(try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdin: Self.sample(copies: 6)))
        let spiked = try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdin: Self.sample(copies: 6, replacingRow: 400, with: "1e20"))
        #expect(spiked.status == 0, "\(spiked.stderr)")
        let spikedRows = Self.forecastsAndFlags(spiked)
        #expect(spikedRows.count == 6000 && clean.count == 6000)
        let afterWindow = (400 + 336)..<clean.count  // output row i holds the forecast made at row i − 1
        let worst = afterWindow.map { abs(spikedRows[$0].forecast! - clean[$0].forecast!) / abs(clean[$0].forecast!) }.max()!
        #expect(worst < 1e-4)

        let glitched = Self.forecastsAndFlags(
            try SluiceProcess.run(["run", "Pipelines/anomaly.yaml"], stdin: Self.sample(copies: 6, replacingRow: 400, with: "100000")))
        #expect(glitched[399].flag)
        let later = 800..<clean.count
        let cleanFlags = later.filter { clean[$0].flag }
        #expect(cleanFlags.count >= 10 && later.filter { glitched[$0].flag } == cleanFlags)
    }

    /// Limits on what one row may hold: each is a clear error naming the row, echoing no more than 40 characters.
    @Test func rowLimitsFailWithClearErrors() throws {
        let longLine = try SluiceProcess.run(
            ["run", "Pipelines/anomaly.yaml"], stdin: Data(("timestamp,value\n1,2\n3," + String(repeating: "9", count: 2 << 20) + "\n").utf8))
        #expect(longLine.status == 1)
        #expect(
            longLine.stderr.contains("row 3: line longer than 1048576 bytes") && longLine.stderr.utf8.count < 300, "\(longLine.stderr.prefix(300))")

        let longCell = try SluiceProcess.run(
            ["run", "Pipelines/anomaly.yaml"], stdin: Data(("timestamp,value\n1," + String(repeating: "9", count: 500_000) + "x\n").utf8))
        #expect(longCell.status == 1)
        #expect(longCell.stderr.contains("row 2: column 'value': '" + String(repeating: "9", count: 40) + "…' is not a number"))
        #expect(longCell.stderr.utf8.count < 300)

        let wide = try SluiceProcess.run(
            ["run", "Pipelines/forecast.yaml"], stdin: Data(("t," + (0..<5000).map { "c\($0)" }.joined(separator: ",") + "\n").utf8))
        #expect(wide.status == 1)
        #expect(wide.stderr.contains("row 1: the header has 5001 value columns, more than the limit of 4096"), "\(wide.stderr)")

        let duplicate = try SluiceProcess.run(["run", "Pipelines/forecast.yaml"], stdin: Data("timestamp,a,b,a\n1,2,3,4\n".utf8))
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("row 1: the header names column 2 and column 4 both 'a'"), "\(duplicate.stderr)")

        let latin1 = try SluiceProcess.run(["run", "Pipelines/forecast.yaml"], stdin: Data([0x74, 0x2C, 0xE9, 0x0A, 0x31, 0x2C, 0x32, 0x0A]))
        #expect(latin1.status == 1)
        #expect(latin1.stderr.contains("row 1: the line is not UTF-8 text"), "\(latin1.stderr)")
    }

    /// RFC 4180 quoted fields are one field each (a quote written twice), and go out quoted again.
    @Test func quotedFieldsRoundTrip() throws {
        let folder = try SluiceProcess.temporaryFolder()
        let pipeline = folder.appendingPathComponent("identity.yaml").path
        try """
        version: 1
        input: { type: series }
        stages:
          - { id: scale, type: series.scale, mean: "0, 0", std: "1, 1" }
        output: { type: csv }
        """.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let input = Data("timestamp,\"load, kW\",\"say \"\"hi\"\"\"\n\"2020-01-01, 00:00\",\"1.5\",2\n".utf8)
        let result = try SluiceProcess.run(["run", pipeline], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "timestamp,\"load, kW\",\"say \"\"hi\"\"\"\n\"2020-01-01, 00:00\",1.5,2\n")
        let open = try SluiceProcess.run(["run", pipeline], stdin: Data("a,b\n\"1,2\n".utf8))
        #expect(open.status == 1)
        #expect(open.stderr.contains("row 2: column 1: a quoted field has no closing quote"), "\(open.stderr)")
    }
    /// `series nab --results` writes NAB's results files (nab/detectors/base.py's layout and columns) for the
    /// committed sample as a one-file corpus with its NAB label window; the threshold it prints, applied to the
    /// written scores, first detects inside the window.
    @Test func nabWritesResultsFiles() throws {
        let root = try SluiceProcess.temporaryFolder()
        let sample = SluiceProcess.packageRoot.appendingPathComponent("Samples/nab-daily-jumpsup.csv")
        let data = root.appendingPathComponent("data/artificialWithAnomaly")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: sample, to: data.appendingPathComponent("art_daily_jumpsup.csv"))
        let window = ["2014-04-10 16:15:00.000000", "2014-04-12 01:45:00.000000"]  // NAB's combined_windows.json
        try #"{"artificialWithAnomaly/art_daily_jumpsup.csv": [["\#(window[0])", "\#(window[1])"]]}"#.write(
            to: root.appendingPathComponent("labels/combined_windows.json"), atomically: true, encoding: .utf8)
        let input = try String(contentsOf: sample, encoding: .utf8).split(separator: "\n").dropFirst()
        for (detector, name) in [("forecast_residual", "sluiceForecastResidual"), ("windowed_gaussian", "sluiceWindowedGaussian")] {
            let out = root.appendingPathComponent("results").path
            let result = try SluiceProcess.run(["series", "nab", "--data", root.path, "--detector", detector, "--results", out])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
            #expect(json["files"] as? Int == 1 && json["rows"] as? Int == 1000)
            let standard = try #require(json["standard"] as? [String: Any])
            func number(_ key: String) -> Double? { (standard[key] as? Double) ?? (standard[key] as? Int).map(Double.init) }
            let path = "\(out)/\(name)/artificialWithAnomaly/\(name)_art_daily_jumpsup.csv"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "timestamp,value,anomaly_score,label" && lines.count == 1001)
            let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
            #expect(zip(rows, input).allSatisfy { "\($0[0]),\($0[1])" == $1 })  // the data rows as they were
            #expect(rows.allSatisfy { (0...1).contains(Double($0[2]) ?? -1) })
            let labelled = rows.indices.filter { rows[$0][3] == "1" }
            let inWindow = rows.indices.filter { rows[$0][0] >= "2014-04-10 16:15:00" && rows[$0][0] <= "2014-04-12 01:45:00" }
            #expect(labelled == inWindow && labelled.count == 403)
            #expect(number("score") != nil)
            guard detector == "forecast_residual" else { continue }  // NAB's baseline need not find this jump
            let threshold = try #require(number("threshold"))
            let probation = 150
            let first = try #require(rows.indices.first { $0 >= probation && Double(rows[$0][2])! >= threshold })
            #expect(labelled.contains(first), "first detection \(rows[first][0])")
            #expect(try #require(number("score")) > 50)
        }
    }
}
