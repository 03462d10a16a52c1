import Foundation
import SluiceSeries
import Testing

@Suite("Series row parsing")
struct RowParserTests {
    @Test func csvHeaderWithTimestampColumn() throws {
        var parser = try SeriesRowParser(header: "date,a,b", missing: .keep)
        #expect(parser.hasTimestamp && parser.channels == ["a", "b"])
        let row = try parser.parse("2020-01-01 00:00:00, 1.5,-2", row: 2)
        #expect(row.timestamp == "2020-01-01 00:00:00" && row.values == [1.5, -2])
    }

    @Test func badRowsNameTheirRow() throws {
        var parser = try SeriesRowParser(header: "timestamp,value", missing: .error)
        #expect(throws: SeriesInputError(row: 7, message: "column 'value': 'abc' is not a number")) {
            try parser.parse("2020-01-01,abc", row: 7)
        }
        #expect(throws: SeriesInputError(row: 8, message: "expected 2 columns, found 1")) { try parser.parse("2020-01-01", row: 8) }
        #expect(throws: SeriesInputError(row: 9, message: "missing value in column 'value'")) { try parser.parse("2020-01-01,", row: 9) }
        #expect(throws: SeriesInputError(row: 10, message: "column 'value': 'inf' is not a number")) { try parser.parse("t,inf", row: 10) }
    }

    @Test func missingValuePolicies() throws {
        var previous = try SeriesRowParser(header: "x,y", missing: .previous)
        #expect(!previous.hasTimestamp)
        _ = try previous.parse("1,2", row: 2)
        #expect(try previous.parse(",5", row: 3).values == [1, 5])
        var keep = try SeriesRowParser(header: "x", missing: .keep)
        #expect(try keep.parse("NaN", row: 2).values[0].isNaN)
    }

    /// RFC 4180 quoting: a quoted field holds commas and doubled quotes; broken quoting is an error naming the column.
    @Test func quotedFields() throws {
        var parser = try SeriesRowParser(header: #"timestamp,"load, kW",b"#, missing: .error)
        #expect(parser.channels == ["load, kW", "b"])
        let row = try parser.parse(#""2020-01-01, ""noon""", "1.5" ,2"#, row: 2)
        #expect(row.timestamp == #"2020-01-01, "noon""# && row.values == [1.5, 2])
        #expect(throws: SeriesInputError(row: 3, message: "column 2: a quoted field has no closing quote (a field cannot span lines)")) {
            try parser.parse(#"t,"1,2"#, row: 3)
        }
        #expect(throws: SeriesInputError(row: 4, message: "column 2: text after the closing quote of a quoted field")) {
            try parser.parse(#"t,"1"x,2"#, row: 4)
        }
    }

    /// CSV as tools export it: Excel's byte-order mark, semicolons and decimal commas, pandas's unnamed index
    /// column (the timestamps), tabs; a delimiter given explicitly wins over the header's.
    @Test func exportsFromDataTools() throws {
        var excel = try SeriesRowParser(header: "\u{FEFF};value;\"load; kW\"", missing: .error)
        #expect(excel.dialect == CSVDialect(delimiter: UInt8(ascii: ";")) && excel.hasTimestamp && excel.channels == ["value", "load; kW"])
        let row = try excel.parse("2014-04-09 08:00:00;20,25;-3", row: 2)
        #expect(row.timestamp == "2014-04-09 08:00:00" && row.values == [20.25, -3])
        #expect(throws: SeriesInputError(row: 3, message: "column 'value': '1,2,3' is not a number")) { try excel.parse("t;1,2,3;4", row: 3) }
        var grafana = try SeriesRowParser(header: #""Time","cpu usage""#, missing: .error)
        #expect(grafana.hasTimestamp)
        #expect(try grafana.parse(#""2024-01-01 00:00:00",0.25"#, row: 2).values == [0.25])
        var tabs = try SeriesRowParser(header: "time\ta\tb", missing: .error)
        #expect(try tabs.parse("2020-01-01\t1.5\t2", row: 2).values == [1.5, 2])
        var commas = try SeriesRowParser(header: "x;y", missing: .error, dialect: .comma)
        #expect(commas.channels == ["x;y"] && commas.dialect.allowsDecimalComma == false)
        #expect(throws: SeriesInputError(row: 2, message: "column 'x;y': '1;2' is not a number")) { try commas.parse("1;2", row: 2) }
        #expect(CSVDialect.separatorLine("\u{FEFF}sep=;") == CSVDialect(delimiter: UInt8(ascii: ";")))
        #expect(CSVDialect.separatorLine("sep,x") == nil && CSVDialect.separatorLine("value") == nil)
    }

    /// A whole file with Excel's `sep=` line: the header is the next line, and rows are numbered as in the file.
    @Test func tableAfterASeparatorLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sep-\(UUID()).csv").path
        try Data("sep=;\r\ndate;a\r\n2020-01-01;1,5\r\n2020-01-02;x\r\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SeriesInputError(row: 4, message: "column 'a': 'x' is not a number")) { try SeriesTable(csvPath: path) }
        try Data("sep=;\ndate;a\n2020-01-01;1,5\n".utf8).write(to: URL(fileURLWithPath: path))
        let table = try SeriesTable(csvPath: path)
        #expect(table.channels == ["a"] && table.timestamps == ["2020-01-01"] && table.values == [1.5])
    }

    /// A header names each column once and at most `SeriesLimits.maxChannels` value columns; bad cells are echoed short.
    @Test func headerAndCellLimits() throws {
        #expect(throws: SeriesInputError(row: 1, message: "the header names column 2 and column 4 both 'a'")) {
            try SeriesRowParser(header: "date,a,b,a", missing: .keep)
        }
        let wide = (0...SeriesLimits.maxChannels).map { "c\($0)" }.joined(separator: ",")
        #expect(throws: SeriesInputError(row: 1, message: "the header has 4097 value columns, more than the limit of 4096")) {
            try SeriesRowParser(header: wide, missing: .keep)
        }
        var parser = try SeriesRowParser(header: "x", missing: .keep)
        #expect(throws: SeriesInputError(row: 2, message: "column 'x': '\(String(repeating: "7", count: 40))…' is not a number")) {
            try parser.parse(String(repeating: "7", count: 100_000) + "z", row: 2)
        }
        #expect(throws: SeriesInputError(row: 3, message: "expected 1 columns, found 1000001")) {
            try parser.parse(String(repeating: ",", count: 1_000_000), row: 3)
        }
    }

    @Test func jsonLinesRows() throws {
        let first = #"{"timestamp":"2020-01-01","value":3,"load":1.5}"#
        let channels = try JSONLRowParser.channels(ofFirst: first)
        #expect(channels == ["load", "value"])
        var parser = JSONLRowParser(channels: channels, missing: .previous)
        let row = try parser.parse(first, row: 1)
        #expect(row.timestamp == "2020-01-01" && row.values == [1.5, 3])
        #expect(try parser.parse(#"{"value":4}"#, row: 2).values == [1.5, 4])
        #expect(throws: SeriesInputError(row: 3, message: "field 'value': x is not a number")) {
            try parser.parse(#"{"value":"x","load":1}"#, row: 3)
        }
        #expect(throws: SeriesInputError(row: 4, message: "not a JSON object")) { try parser.parse("[1,2]", row: 4) }
    }
}

extension SeriesInputError: Equatable {
    public static func == (a: SeriesInputError, b: SeriesInputError) -> Bool { a.row == b.row && a.message == b.message }
}
