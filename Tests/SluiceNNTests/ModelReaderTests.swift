import Foundation
import SluiceNN
import Testing

/// The CTranslate2 `model.bin` reader on small files written here byte by byte.
@Suite struct ModelReaderTests {
    /// A model.bin writer for tests: variables (name, shape, dtype, raw bytes) and aliases.
    struct ModelFile {
        var version: UInt32 = 6
        var variables: [(name: String, shape: [UInt32], type: UInt8, bytes: [UInt8])] = []
        var aliases: [(String, String)] = []

        func bytes() -> [UInt8] {
            var out: [UInt8] = []
            func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
            func string(_ text: String) {
                let utf8 = Array(text.utf8) + [0]
                withUnsafeBytes(of: UInt16(utf8.count).littleEndian) { out += $0 }
                out += utf8
            }
            u32(version)
            string("WhisperSpec")
            u32(3)
            u32(UInt32(variables.count))
            for variable in variables {
                string(variable.name)
                out.append(UInt8(variable.shape.count))
                variable.shape.forEach(u32)
                out.append(variable.type)
                u32(UInt32(variable.bytes.count))
                out += variable.bytes
            }
            u32(UInt32(aliases.count))
            for (alias, target) in aliases {
                string(alias)
                string(target)
            }
            return out
        }
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    private var sample: ModelFile {
        var file = ModelFile()
        file.variables = [
            ("a/weight", [2], 0, littleEndian([Float(1.5).bitPattern, Float(-2).bitPattern])),
            ("b/weight", [2], 4, littleEndian([Float16(0.25).bitPattern, Float16(-3).bitPattern])),
            ("c/weight", [2, 2], 1, [10, 246, 4, 8]),  // int8 rows, scales 2 and 4
            ("c/weight_scale", [2], 0, littleEndian([Float(2).bitPattern, Float(4).bitPattern])),
            ("d/weight", [1], 5, littleEndian([UInt16(Float(1.25).bitPattern >> 16)])),
            ("num_heads", [], 2, littleEndian([Int16(6)])),
        ]
        file.aliases = [("e/weight", "a/weight")]
        return file
    }

    @Test func readsEveryTypeScalesAndAliases() throws {
        let model = try CTranslate2Model.load(path: write(sample.bytes()), keepingHalf: { $0 == "b/weight" })
        #expect(model.spec == "WhisperSpec")
        #expect(model.tensors["a/weight"]?.values == [1.5, -2])
        #expect(model.tensors["e/weight"]?.values == [1.5, -2])
        #expect(model.halfTensors["b/weight"]?.values == [Float16(0.25).bitPattern, Float16(-3).bitPattern])
        #expect(model.tensors["c/weight"]?.values == [5, -5, 1, 2])
        #expect(model.tensors["c/weight_scale"] == nil)
        #expect(model.tensors["d/weight"]?.values == [1.25])
        #expect(model.integers["num_heads"] == [6])
    }

    @Test func truncatedFileNamesTheVariableAndOffset() throws {
        let bytes = sample.bytes()
        let path = try write(Array(bytes.prefix(bytes.count - 40)))
        #expect(throws: ModelFileError.self) { try CTranslate2Model.load(path: path) }
        do {
            _ = try CTranslate2Model.load(path: path)
        } catch {
            #expect("\(error)".contains("\(path): truncated in '"))
            #expect("\(error)".contains("at byte"))
        }
    }

    @Test func unsupportedVersionAndInconsistentSizesAreReported() throws {
        var old = sample
        old.version = 5
        do {
            _ = try CTranslate2Model.load(path: write(old.bytes()))
            Issue.record("version 5 was accepted")
        } catch {
            #expect("\(error)".contains("unsupported CTranslate2 binary version 5"))
        }
        var wrong = sample
        wrong.variables[0].shape = [3]
        do {
            _ = try CTranslate2Model.load(path: write(wrong.bytes()))
            Issue.record("a size mismatch was accepted")
        } catch {
            #expect("\(error)".contains("variable 'a/weight' holds 8 bytes, its shape [3] needs 12"))
        }
    }

    @Test(arguments: [
        (UInt8(0), littleEndianBytes([Float(1).bitPattern, Float.nan.bitPattern])),
        (UInt8(4), littleEndianBytes([Float16(1).bitPattern, Float16.infinity.bitPattern])),
        (UInt8(5), littleEndianBytes([UInt16(0x3F80), UInt16(0xFFC0)])),
    ])
    func aNonFiniteWeightIsACorruptFileNotNaNOutput(type: UInt8, bytes: [UInt8]) throws {
        var file = ModelFile()
        file.variables = [("a/weight", [2], type, bytes)]
        do {
            _ = try CTranslate2Model.load(path: write(file.bytes()))
            Issue.record("a NaN or infinite weight (type \(type)) was accepted")
        } catch {
            #expect("\(error)".contains("variable 'a/weight' holds a non-finite value (NaN or infinity) at element 1"))
        }
    }
}

/// Little-endian bytes of integers, for test files.
private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}
