import Foundation

/// A regular file read by position, for the decoders' I/O callbacks (libsndfile's virtual I/O, FFmpeg's
/// AVIOContext): the decoders never own the descriptor, which is closed with this object.
final class ReadOnlyFile {
    let path: String
    let descriptor: Int32
    let size: Int64
    private(set) var position: Int64 = 0

    init(path: String) throws(AudioError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AudioError("\(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw AudioError("\(path): \(reason)")
        }
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Moves to `offset` from the start, the position or the end (`SEEK_SET`, `SEEK_CUR`, `SEEK_END`); the new
    /// position, or nil for one before the start or another `whence`.
    func seek(to offset: Int64, whence: Int32) -> Int64? {
        let target: Int64
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = size + offset
        default: return nil
        }
        guard target >= 0 else { return nil }
        position = target
        return position
    }

    /// Reads up to `count` bytes at the position and moves past them: fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(AudioError) -> Int {
        var total = 0
        while total < count {
            let got = pread(descriptor, buffer + total, count - total, off_t(position + Int64(total)))
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw AudioError("\(path): read failed: \(String(cString: strerror(errno)))")
            }
            total += got
        }
        position += Int64(total)
        return total
    }
}
