import Foundation
import FuzzSupport

@testable import SluiceSeries

/// CSV series files, read the way the `series` input stage reads them (`LineReader` over the file, the first line to
/// `SeriesRowParser(header:)`, each later line to `parse`), then whole by `SeriesTable(csvPath:)`. The first byte picks
/// the missing-value policy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeriesCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let policies = SeriesRowParser.MissingPolicy.allCases
    let missing = policies[Int(input.byte()) % policies.count]
    let path = ScratchFile.write(input.bytes)
    if let reader = try? LineReader(path: path), let lines = try? reader.next(), let header = try? lines.first?.validText(),
        var parser = try? SeriesRowParser(header: header, missing: missing)
    {
        var batch = Array(lines.dropFirst())
        while !batch.isEmpty {
            for line in batch {
                guard let text = try? line.validText(), let parsed = try? parser.parse(text, row: line.number) else { continue }
                expect(
                    parsed.values.count == parser.channels.count,
                    "row \(line.number): \(parsed.values.count) values for \(parser.channels.count) channels")
                expect(parsed.values.allSatisfy { !$0.isInfinite }, "row \(line.number): an infinite value")
            }
            batch = (try? reader.next()) ?? []
        }
    }
    if let table = try? SeriesTable(csvPath: path) {
        expect(table.values.count == table.rows * table.channels.count, "\(table.values.count) values in \(table.rows) rows")
    }
    return 0
}
