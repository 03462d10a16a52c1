import Foundation

/// Making folders with the system's reason when it fails (Foundation's errors carry a dump instead).
public enum Folder {
    /// Creates `path` and the folders above it that are missing (`mkdir -p`); returns nil, or the errno of the
    /// step that failed (`ENOTDIR` when part of the path is a file).
    public static func create(_ path: String) -> Int32? {
        if mkdir(path, 0o755) == 0 { return nil }
        switch errno {
        case EEXIST:
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? nil : ENOTDIR
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { return ENOENT }
            if let code = create(parent) { return code }
            return mkdir(path, 0o755) == 0 || errno == EEXIST ? nil : errno
        default:
            return errno
        }
    }

    /// The text of an errno value (`Not a directory`).
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
