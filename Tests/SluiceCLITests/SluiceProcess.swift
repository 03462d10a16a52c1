import Foundation

/// Runs the built `sluice` binary and captures its output.
struct SluiceProcess {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The most recently built `sluice` executable (release preferred by recency).
    static let executable = built("sluice")

    /// The most recently built executable `name` of this package (release or debug, whichever is newer).
    static func built(_ name: String) -> URL {
        let candidates = ["release", "debug"].map { packageRoot.appendingPathComponent(".build/\($0)/\(name)") }
        let existing = candidates.filter { FileManager.default.isExecutableFile(atPath: $0.path) }
        let dated = existing.map { url in
            (url, (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast)
        }
        guard let newest = dated.max(by: { $0.1 < $1.1 }) else {
            fatalError("\(name) is not built: run swift build -c release first")
        }
        return newest.0
    }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `sluice ARGUMENTS` (or the built `program`) in the package root; standard input is `stdin` bytes, the
    /// file `stdinFile`, or empty; `environment` adds variables. Output goes through files, so no pipe can fill up.
    static func run(
        _ arguments: [String], program: URL = executable, stdin: Data? = nil, stdinFile: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inPath = stdinFile ?? folder.appendingPathComponent("stdin").path
        if stdinFile == nil { _ = FileManager.default.createFile(atPath: inPath, contents: stdin ?? Data()) }
        let outPath = folder.appendingPathComponent("stdout").path
        let errPath = folder.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)

        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = packageRoot
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
    }

    /// A fresh temporary folder for one test.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension SluiceProcess {
    /// Runs a shell command line in the package root and returns its exit status.
    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; " + command]
        process.currentDirectoryURL = packageRoot
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
