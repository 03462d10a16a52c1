/// A processing step between a source and a sink, run on its own serial queue.
///
/// - The engine calls `process` for every packet in arrival order and `finish` once every input
///   has reached end of stream; `finish` emits what is still buffered (the drain).
/// - A stage is used by one thread at a time; it owns its per-stream state.
public protocol Stage: AnyObject {
    /// The format of what this stage emits, fixed when the stage is built.
    var outputFormat: StreamFormat { get }
    /// Handles one packet from input number `input` (0-based, in the order of the stage's `inputs`).
    func process(_ packet: Packet, input: Int, emit: Emit) throws
    /// Drains: emits whatever is still buffered once all inputs have ended.
    func finish(emit: Emit) throws
}

/// Where data enters a graph: a file, stdin, a socket.
public protocol Source: AnyObject {
    /// The concrete format of the stream, known once the source is open.
    var format: StreamFormat { get }
    /// Emits the next packet(s); returns `false` at end of stream.
    func read(emit: Emit) throws -> Bool
    /// Asks the source to end its stream soon (SIGINT/SIGTERM drain). Safe from any thread.
    func requestStop()
    /// Values clipped to the format's range so far (audio beyond full scale), for `--stats`. Safe from any thread.
    var clippedValues: Int { get }
}

extension Source {
    public var clippedValues: Int { 0 }
}

/// Where data leaves a graph: a file, stdout.
///
/// Files are written under a temporary name and renamed by `finish`, so a failed or cancelled run
/// leaves no half-written output.
public protocol Sink: AnyObject {
    /// Handles one packet.
    func consume(_ packet: Packet) throws
    /// Commits the output after end of stream.
    func finish() throws
    /// Discards a partial output after a failure or cancellation.
    func abort()
}
