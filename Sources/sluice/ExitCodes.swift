import ArgumentParser
import Foundation

/// The documented exit codes (sysexits where one applies).
enum SluiceExit {
    static let runtimeFailure = ExitCode(1)
    static let usage = ExitCode(64)
    static let configuration = ExitCode(78)
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
