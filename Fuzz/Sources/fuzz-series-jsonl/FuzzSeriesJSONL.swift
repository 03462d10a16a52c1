import Foundation
import FuzzSupport
@testable import SluiceSeries

/// JSON Lines series files, read the way the `series` input stage reads them (`LineReader` over the file, channels
/// from the first record, each line to `JSONLRowParser.parse`). The first byte picks the missing-value policy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeriesJSONL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let policies = SeriesRowParser.MissingPolicy.allCases
    let missing = policies[Int(input.byte()) % policies.count]
    let path = ScratchFile.write(input.bytes)
    guard let reader = try? LineReader(path: path), var batch = try? reader.next(), let first = batch.first,
        let channels = try? JSONLRowParser.channels(ofFirst: first)
    else { return 0 }
    var parser = JSONLRowParser(channels: channels, missing: missing)
    var row = 0
    while !batch.isEmpty {
        for line in batch {
            row += 1
            guard !line.allSatisfy(\.isWhitespace), let parsed = try? parser.parse(line, row: row) else { continue }
            expect(parsed.values.count == channels.count, "row \(row): \(parsed.values.count) values for \(channels.count) channels")
        }
        batch = (try? reader.next()) ?? []
    }
    return 0
}
