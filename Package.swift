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
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceAudio", targets: ["SluiceAudio"]),
        .library(name: "SluicePipelines", targets: ["SluicePipelines"]),
        .library(name: "SluiceNN", targets: ["SluiceNN"]),
        .library(name: "SluiceWhisper", targets: ["SluiceWhisper"]),
        .library(name: "SluiceBatch", targets: ["SluiceBatch"]),
        .library(name: "SluiceCodec", targets: ["SluiceCodec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System libraries, found through pkg-config (installed by Scripts/bootstrap).
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "SluiceCore", swiftSettings: swiftSettings),
        .target(
            name: "SluiceAudio",
            dependencies: ["SluiceCore", "CSndFile", "CFFTW", "CSoxr"],
            swiftSettings: swiftSettings
        ),
        .target(name: "CKernels"),
        .target(name: "SluiceNN", dependencies: ["CKernels"], swiftSettings: swiftSettings),
        .target(
            name: "SluiceWhisper",
            dependencies: ["SluiceCore", "SluiceAudio", "SluiceNN", "CKernels", "CZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceCodec",
            dependencies: ["SluiceCore", "SluiceAudio", "SluiceNN", "CZlib"],
            resources: [.copy("Model")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluicePipelines",
            dependencies: ["SluiceCore", "SluiceAudio", "SluiceWhisper", "SluiceCodec", "Yams"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceBatch",
            dependencies: ["SluiceCore", "SluicePipelines"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceBatch",
                "SluicePipelines",
                "SluiceWhisper",
                "SluiceCodec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceAudioTests",
            dependencies: ["SluiceAudio"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluicePipelinesTests",
            dependencies: ["SluicePipelines"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceNNTests", dependencies: ["SluiceNN"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SluiceWhisperTests",
            dependencies: ["SluiceWhisper"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceCodecTests",
            dependencies: ["SluiceCodec", "SluiceNN"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SluiceBatchTests", dependencies: ["SluiceBatch", "SluiceCore"], swiftSettings: swiftSettings),
        .testTarget(name: "SluiceCLITests", dependencies: ["sluice", "SluiceAudio"], swiftSettings: swiftSettings),
    ]
)
