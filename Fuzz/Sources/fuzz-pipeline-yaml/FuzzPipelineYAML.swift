import Foundation
import FuzzSupport
import SluicePipelines

/// Pipeline files (`PipelineValidator`, with `PipelineParser` and Yams beneath) and `--set` overrides: the input is a
/// file's bytes, checked as UTF-8 the way `load(path:)` does; its leading `#set id.option=value` comment lines are
/// also applied as overrides. Validated against the standard stage registry.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let text = String(validating: FuzzInput(data, size).bytes, as: UTF8.self) else { return 0 }
    let overrides = text.split(separator: "\n", omittingEmptySubsequences: false)
        .prefix { $0.hasPrefix("#set ") }
        .compactMap { try? Override.parse(String($0.dropFirst(5))) }
    do {
        _ = try validator.validate(yaml: text, file: "fuzz.yaml", overrides: overrides)
    } catch {
        expect(!error.diagnostics.isEmpty, "a rejected pipeline has no diagnostics")
    }
    return 0
}

nonisolated(unsafe) let validator = PipelineValidator(registry: .standard)
