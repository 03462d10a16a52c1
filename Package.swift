// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Sluice",
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceFiles", targets: ["SluiceFiles"]),
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceAudio", targets: ["SluiceAudio"]),
        .library(name: "SluicePipelines", targets: ["SluicePipelines"]),
        .library(name: "SluiceNN", targets: ["SluiceNN"]),
        .library(name: "SluiceVAD", targets: ["SluiceVAD"]),
        .library(name: "SluiceWhisper", targets: ["SluiceWhisper"]),
        .library(name: "SluiceModels", targets: ["SluiceModels"]),
        .library(name: "SluiceStages", targets: ["SluiceStages"]),
        .library(name: "SluiceBatch", targets: ["SluiceBatch"]),
        .library(name: "SluiceSSM", targets: ["SluiceSSM"]),
        .library(name: "SluiceSeries", targets: ["SluiceSeries"]),
        .library(name: "SluiceServer", targets: ["SluiceServer"]),
        .library(name: "SluiceCodec", targets: ["SluiceCodec"]),
        .library(name: "SluiceSimul", targets: ["SluiceSimul"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The service: HTTP/1 + WebSocket. No traits: swift-configuration and the FullFoundation extras are not used.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Imported by the server directly; already in the graph through Hummingbird.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
    ],
    targets: [
        // System libraries, found through pkg-config (installed by Scripts/bootstrap).
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // FFmpeg's libraries: libavformat.pc stands for the four (its headers' folder); module.modulemap links them.
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev", "libavutil-dev"])]),

        // Files written whole or not at all, folders, plain descriptor writes: shared by the libraries and the engine.
        .target(name: "SluiceFiles", swiftSettings: swiftSettings),
        // The dataflow engine.
        .target(name: "SluiceCore", dependencies: ["SluiceFiles"], swiftSettings: swiftSettings),
        // The libraries: usable without the engine.
        .target(
            name: "SluiceAudio",
            dependencies: ["SluiceFiles", "SluiceFFT", "CSndFile", "CSoxr", "CFFmpeg"],
            swiftSettings: swiftSettings
        ),
        // FFTW transforms, planned under one lock (the planner is not thread-safe).
        .target(name: "SluiceFFT", dependencies: ["CFFTW"], swiftSettings: swiftSettings),
        .target(name: "CKernels"),
        .target(name: "SluiceNN", dependencies: ["CKernels"], swiftSettings: swiftSettings),
        // Silero VAD (faster-whisper's ONNX model) on SluiceNN: speech probabilities and speech regions.
        .target(name: "SluiceVAD", dependencies: ["SluiceNN"], swiftSettings: swiftSettings),
        .target(
            name: "SluiceWhisper",
            dependencies: ["SluiceAudio", "SluiceNN", "SluiceVAD", "CKernels", "CZlib"],
            swiftSettings: swiftSettings
        ),
        // `sluice models fetch`: downloading catalogue models into the model store.
        .target(name: "SluiceModels", dependencies: ["SluiceWhisper", "SluiceFiles"], swiftSettings: swiftSettings),
        .target(name: "SluiceSSM", dependencies: ["SluiceNN", "SluiceFFT", "CKernels"], swiftSettings: swiftSettings),
        .target(
            name: "SluiceSeries",
            dependencies: ["SluiceSSM", "SluiceNN"],
            resources: [.copy("Models")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceCodec",
            dependencies: ["SluiceNN", "SluiceFFT", "CZlib"],
            resources: [.copy("Model")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceSimul",
            dependencies: ["SluiceAudio", "SluiceWhisper"],
            swiftSettings: swiftSettings
        ),
        // The stage adapters that tie the libraries to the engine, and each domain's list of stage types.
        .target(
            name: "SluiceStages",
            dependencies: [
                "SluiceCore", "SluiceFiles", "SluiceAudio", "SluiceVAD", "SluiceWhisper", "SluiceSSM", "SluiceSeries", "SluiceCodec",
                "SluiceSimul",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluicePipelines",
            dependencies: ["SluiceCore", "SluiceStages", "Yams"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceBatch",
            dependencies: ["SluiceCore", "SluiceFiles", "SluicePipelines"],
            swiftSettings: swiftSettings
        ),
        // The live-captions page (Web/): plain HTML, CSS and JavaScript modules, embedded in the binary at build time.
        .target(
            name: "SluiceWebPage",
            path: "Web",
            resources: [
                .embedInCode("index.html"), .embedInCode("style.css"), .embedInCode("app.js"), .embedInCode("captions.js"),
                .embedInCode("stream-client.js"), .embedInCode("microphone.js"), .embedInCode("pcm-worklet.js"),
                .embedInCode("upload.js"), .embedInCode("settings.js"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceCore", "SluiceAudio", "SluicePipelines", "SluiceStages", "SluiceVAD", "SluiceWhisper", "SluiceWebPage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceFiles",
                "SluiceCore",
                "SluiceAudio",
                "SluiceNN",
                "SluiceVAD",
                "SluiceBatch",
                "SluicePipelines",
                "SluiceServer",
                "SluiceWhisper",
                "SluiceModels",
                "SluiceStages",
                "SluiceSeries",
                "SluiceCodec",
                "SluiceSimul",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Examples/: programs that use one library on its own (built by `swift build`, run by the CLI tests).
        .executableTarget(
            name: "transcribe-file",
            dependencies: ["SluiceWhisper"],
            path: "Examples/TranscribeFile",
            swiftSettings: swiftSettings
        ),

        // What several test targets share: the model-backed test trait, a seeded generator for noise.
        .target(
            name: "SluiceTestSupport",
            dependencies: ["SluiceWhisper"],
            path: "Tests/SluiceTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceFiles"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceAudioTests",
            dependencies: ["SluiceAudio"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluicePipelinesTests",
            dependencies: ["SluicePipelines", "SluiceCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceNNTests", dependencies: ["SluiceNN"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceVADTests",
            dependencies: ["SluiceVAD", "SluiceNN", "SluiceWhisper", "SluiceAudio", "SluiceTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceWhisperTests",
            dependencies: ["SluiceWhisper", "SluiceAudio", "SluiceTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceCodecTests",
            dependencies: ["SluiceCodec", "SluiceNN"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceBatchTests", dependencies: ["SluiceBatch", "SluiceCore", "SluiceFiles"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceFFTTests", dependencies: ["SluiceFFT"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceSSMTests",
            dependencies: ["SluiceSSM", "SluiceFFT", "SluiceNN", "SluiceTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceSimulTests",
            dependencies: ["SluiceSimul", "SluiceWhisper", "SluiceAudio", "SluiceTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceSeriesTests", dependencies: ["SluiceSeries", "SluiceSSM"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceServerTests",
            dependencies: ["SluiceServer", "SluiceCore", "SluicePipelines", "SluiceTestSupport"],
            swiftSettings: swiftSettings
        ),
        // The executables are dependencies so that they are built before the tests that run them.
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["sluice", "transcribe-file", "SluiceAudio", "SluiceTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
