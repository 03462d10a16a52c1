import ArgumentParser
import Foundation
import SluicePipelines

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
