import ArgumentParser
import Foundation
import SluiceCore
import SluiceFiles
import SluicePipelines

/// The documented exit codes (sysexits where one applies).
enum SluiceExit {
    static let runtimeFailure = ExitCode(1)
    static let usage = ExitCode(64)
    static let configuration = ExitCode(78)
}

/// Writes one line to standard error; a failing stderr (a full disk) is ignored, as there is nowhere to report it.
func printError(_ message: String) {
    try? FileDescriptor.write(message + "\n", to: STDERR_FILENO, name: "stderr")
}

/// Writes `text` to standard output; throws when it cannot (a full disk, a closed descriptor).
func writeStandardOutput(_ text: String) throws {
    try FileDescriptor.write(text, to: STDOUT_FILENO, name: "stdout")
}

/// Writes one line to standard output (unbuffered, unlike `print`, so a failed write is an error, not a loss).
func printLine(_ text: String) throws {
    try writeStandardOutput(text + "\n")
}

/// Runs `load` (reading a pipeline file and what it names); configuration errors are printed
/// compiler-style and exit 78, any other failure is printed as one line and exits 1.
func loadingConfiguration<Value>(_ load: () throws -> Value) throws -> Value {
    do {
        return try load()
    } catch let error as ConfigurationError {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw SluiceExit.configuration
    } catch {
        printError("sluice: error: \(error)")
        throw SluiceExit.runtimeFailure
    }
}
