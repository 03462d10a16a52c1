/// A pull-based reader of interleaved float audio: a decoded file, stdin, raw PCM.
///
/// Used by one thread at a time, except `requestStop()`, which may come from any thread.
public protocol AudioReading: AnyObject {
    var sampleRate: Int { get }
    var channels: Int { get }
    /// The file name, or "stdin", for messages.
    var name: String { get }
    /// Reads up to `maxFrames` frames into the start of `buffer` (resized as needed); returns the
    /// number of frames read, 0 at end of stream.
    func read(into buffer: inout [Float], maxFrames: Int) throws -> Int
    /// Makes the current or next read end the stream promptly (SIGINT drain). Safe from any thread.
    func requestStop()
    /// What ``SampleGuard`` has done to the samples read so far (non-finite samples are errors, not counted).
    var sampleGuard: SampleGuard { get }
}

/// Why audio could not be read or written; one line naming the file and position.
public struct AudioError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
