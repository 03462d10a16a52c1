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
    guard let reader = try? LineReader(path: path), var batch = try? reader.next(), let first = try? batch.first?.validText(),
        let channels = try? JSONLRowParser.channels(ofFirst: first)
    else { return 0 }
    var parser = JSONLRowParser(channels: channels, missing: missing)
    while !batch.isEmpty {
        for line in batch {
            guard line.text?.allSatisfy(\.isWhitespace) != true, let text = try? line.validText(),
                let parsed = try? parser.parse(text, row: line.number)
            else { continue }
            expect(parsed.values.count == channels.count, "row \(line.number): \(parsed.values.count) values for \(channels.count) channels")
        }
        batch = (try? reader.next()) ?? []
    }
    return 0
}
