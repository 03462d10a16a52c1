import SluiceAudio
import SluiceCore
import SluiceFiles

/// The `npy` output: feature frames as a NumPy `.npy` file of float32, shape (frames, dims).
public enum NpyOutput {
    public static let type = SinkType(
        name: "npy",
        summary: "Write feature frames to a NumPy .npy file (float32, frames × dims).",
        options: options.specs,
        accept: { options, format in
            guard case .features = format else { throw FormatMismatch("needs features, gets \(format)") }
            if Self.options.settings(options).value == "-" {
                throw OptionProblem("an .npy file needs a path (its header holds the frame count); stdout is not supported")
            }
        },
        make: { options, format in
            guard case .features(let features) = format else { throw FormatMismatch("needs features, gets \(format)") }
            return try NpySink(path: Self.options.settings(options).value, dims: features.dims)
        },
        fileExtension: { _, _ in "npy" })

    private static let options = OptionTable(defaults: SingleOption("-"), [.string("path", \.value, required: true, help: "the .npy file to write")])
}

/// Streams float32 rows to a temporary file and writes the final shape into the header on finish.
final class NpySink: Sink {
    /// Header bytes, fixed so that it can be rewritten in place (a multiple of 64, as NumPy prefers).
    private static let headerLength = 128
    private let file: AtomicFile
    private let dims: Int
    private var frames = 0

    init(path: String, dims: Int) throws {
        file = try AtomicFile(path: path)
        self.dims = dims
        try header().withUnsafeBytes { try file.write($0) }
    }

    func consume(_ packet: Packet) throws {
        try packet.data.withUnsafeBytes { try file.write($0) }
        frames += packet.frames
    }

    func finish() throws {
        try header().withUnsafeBytes { try file.write($0, at: 0) }
        try file.commit()
    }

    func abort() { file.discard() }

    /// NPY v1.0: magic, version, header length, then a Python dict literal padded with spaces and a newline.
    private func header() -> [UInt8] {
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(frames), \(dims)), }"
        let textLength = Self.headerLength - 10
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(textLength & 0xFF), UInt8(textLength >> 8)]
            + Array(dictionary.utf8) + Array(repeating: 0x20, count: textLength - dictionary.utf8.count - 1) + [0x0A]
    }
}
