// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Sluice's parsers of untrusted input (Docs/fuzzing.md). Build and run with Scripts/fuzz:
// `swift build -c release --sanitize=fuzzer -Xswiftc -enable-testing` here, in its own scratch path, so the
// instrumented build never touches the main package's `.build`.
//
// Each target is one `@_cdecl("LLVMFuzzerTestOneInput")` file; libFuzzer supplies `main`, hence `-parse-as-library`.
// The server's parsers are internal to a module that pulls in Hummingbird and SwiftNIO, so their two targets
// compile the parser files themselves (symlinks into Sources/SluiceServer) rather than building the whole server.

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], swiftSettings: fuzzSettings)
}

let package = Package(
    name: "SluiceFuzz",
    dependencies: [.package(name: "Sluice", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        fuzzer("fuzz-audio-file", [.product(name: "SluiceAudio", package: "Sluice")]),
        fuzzer("fuzz-raw-pcm", [.product(name: "SluiceAudio", package: "Sluice")]),
        fuzzer("fuzz-pipeline-yaml", [.product(name: "SluicePipelines", package: "Sluice")]),
        fuzzer("fuzz-multipart", []),
        fuzzer("fuzz-stream-protocol", []),
        fuzzer("fuzz-sluc", [.product(name: "SluiceCodec", package: "Sluice")]),
        fuzzer("fuzz-series-csv", [.product(name: "SluiceSeries", package: "Sluice")]),
        fuzzer("fuzz-series-jsonl", [.product(name: "SluiceSeries", package: "Sluice")]),
    ]
)
