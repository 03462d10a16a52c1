import CSndFile
import Foundation

/// Opens libsndfile handles one at a time: a failed open leaves its reason only in a process-wide variable
/// (`sf_error(NULL)`), which another thread's open overwrites, so the open and the reading of its reason must
/// not interleave with another open (concurrent requests on the server read "No Error" otherwise).
enum SndFileOpening {
    private static let lock = NSLock()

    /// Why an open failed: libsndfile's message and code.
    struct Failure: Error {
        var message: String
        var code: Int32
    }

    /// Runs `open` (an `sf_open*` call) and returns its handle, or throws its reason.
    static func open(_ open: () -> OpaquePointer?) throws(Failure) -> OpaquePointer {
        let result: Result<OpaquePointer, Failure> = lock.withLock {
            if let handle = open() { return .success(handle) }
            return .failure(Failure(message: reason(nil), code: sf_error(nil)))
        }
        return try result.get()
    }

    /// libsndfile's message for `file`'s last error (the last failed open's for nil), without its final period.
    static func reason(_ file: OpaquePointer?) -> String {
        String(cString: sf_strerror(file)).trimmingCharacters(in: CharacterSet(charactersIn: ". "))
    }
}
