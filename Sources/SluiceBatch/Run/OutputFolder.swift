import Foundation

/// Creates a batch's output folder, with an error that gives the system's reason.
public enum OutputFolder {
    /// Creates `path` and the folders above it that are missing (mkdir -p).
    ///
    /// - Throws: `BatchError` ("out: cannot create the output folder: Not a directory").
    public static func create(_ path: String) throws(BatchError) {
        let code = createFolders(path)
        guard code == 0 else { throw BatchError("\(path): cannot create the output folder: \(String(cString: strerror(code)))") }
    }

    /// 0, or the errno of the step that failed.
    private static func createFolders(_ path: String) -> Int32 {
        if mkdir(path, 0o755) == 0 { return 0 }
        switch errno {
        case EEXIST:
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? 0 : ENOTDIR
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { return ENOENT }
            let code = createFolders(parent)
            guard code == 0 else { return code }
            return mkdir(path, 0o755) == 0 || errno == EEXIST ? 0 : errno
        default:
            return errno
        }
    }
}
