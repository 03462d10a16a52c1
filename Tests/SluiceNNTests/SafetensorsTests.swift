import Foundation
import SluiceNN
import Testing

/// The safetensors reader on small images written here byte by byte.
@Suite struct SafetensorsTests {
    /// A safetensors image: u64 header length, the JSON header, then the data.
    static func image(header: String, data: [UInt8]) -> Data {
        var bytes = [UInt8]()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes += $0 }
        return Data(bytes + Array(header.utf8) + data)
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }

    @Test func readsFloat32Float16AndFloat64() throws {
        let f32 = Self.floats([1.5, -2, 3, 0.25])
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0]  // 1.0, −2.0
        let f64 = withUnsafeBytes(of: (0.1 as Double).bitPattern.littleEndian) { Array($0) }
        let header =
            #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
            + #""h":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"d":{"dtype":"F64","shape":[],"data_offsets":[20,28]}}"#
        let tensors = try Safetensors.parse(Self.image(header: header, data: f32 + f16 + f64), path: "t")
        #expect(tensors["w"]?.shape == [2, 2] && tensors["w"]?.values == [1.5, -2, 3, 0.25])
        #expect(tensors["h"]?.values == [1, -2])
        #expect(tensors["d"]?.values == [Float(0.1)] && tensors["d"]?.shape == [])
        #expect(tensors.count == 3)
    }

    @Test func rejectsTruncatedAndInconsistentFiles() {
        #expect(throws: ModelFileError.self) { try Safetensors.parse(Data([1, 2, 3]), path: "t") }
        let long = Self.image(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: Self.floats([1, 2]))
        #expect(throws: ModelFileError.self) { try Safetensors.parse(long, path: "t") }
        let wrongShape = Self.image(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Self.floats([1, 2]))
        #expect(throws: ModelFileError.self) { try Safetensors.parse(wrongShape, path: "t") }
        let int8 = Self.image(header: #"{"w":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}"#, data: [7])
        #expect(throws: ModelFileError.self) { try Safetensors.parse(int8, path: "t") }
    }
}
