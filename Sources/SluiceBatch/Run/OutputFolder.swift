import Foundation
import SluiceCore
import SluiceFiles

/// Creates a batch's output folder, with an error that gives the system's reason.
public enum OutputFolder {
    /// Creates `path` and the folders above it that are missing (mkdir -p).
    ///
    /// - Throws: `BatchError` ("out: cannot create the output folder: Not a directory").
    public static func create(_ path: String) throws(BatchError) {
        if let code = Folder.create(path) { throw BatchError("\(path): cannot create the output folder: \(Folder.reason(code))") }
    }
}
