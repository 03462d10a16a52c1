import Foundation
import SluiceNN
import SluiceTestSupport
import SluiceVAD
import SluiceWhisper
import Testing

/// The protobuf reader on the real model file, and its errors on broken ones.
@Suite struct ONNXWeightsTests {
    static var modelPath: String {
        ModelStore().path(of: ModelStore.sileroVAD).appendingPathComponent(ModelStore.sileroVADFile).path
    }

    @Test(.needsModels("silero-vad")) func readsTheInitializersAndNodes() throws {
        let weights = try ONNXWeights(path: Self.modelPath)
        #expect(weights.tensors["encoder.feature_extractor.forward_basis_buffer"]?.shape == [258, 1, 256])
        #expect(weights.tensors["decoder.conv1d.bias"]?.values.count == 1)
        #expect(weights.nodes.contains { $0.opType == "LSTM" } && weights.nodes.count == 25)
        // int64 constants (Pad, Slice arguments) are not kept as floats.
        #expect(weights.tensors["_v_142"] == nil)
    }

    @Test(.needsModels("silero-vad")) func truncatedFileIsOneError() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.modelPath)))
        #expect(throws: ONNXError.self) { try ONNXWeights(bytes: Array(bytes.prefix(bytes.count / 2))) }
    }

    @Test func notAModelIsOneError() throws {
        #expect(throws: ONNXError.self) { try ONNXWeights(bytes: Array("hello, world".utf8)) }
        #expect(throws: ONNXError.self) { try ONNXWeights(bytes: []) }
        let error = try #require(throws: ONNXError.self) { try ONNXWeights(path: "/nonexistent/model.onnx") }
        #expect(error.description.contains("/nonexistent/model.onnx"))
    }

    /// A hand-made model: a Constant node inside an If node's branch is found, with packed float_data.
    @Test func constantsInSubgraphsAreRead() throws {
        func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] { [UInt8(number << 3 | 2), UInt8(payload.count)] + payload }
        func string(_ number: Int, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }
        let floats: [Float] = [1.5, -2]
        let packed = floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let tensor = [0x08, 2, 0x10, 1] + field(4, packed)  // dims [2], FLOAT, float_data
        let constant = string(2, "c0") + string(4, "Constant") + field(5, string(1, "value") + field(5, tensor))
        let branch = field(1, constant)
        let ifNode = string(1, "cond") + string(4, "If") + field(5, string(1, "then_branch") + field(6, branch))
        let model = field(7, field(1, ifNode))
        let weights = try ONNXWeights(bytes: model)
        #expect(weights.tensors["c0"]?.values == floats && weights.tensors["c0"]?.shape == [2])
        #expect(weights.nodes.map(\.opType) == ["If", "Constant"] || weights.nodes.map(\.opType) == ["Constant", "If"])
    }
}
