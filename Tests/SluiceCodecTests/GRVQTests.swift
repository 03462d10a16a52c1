import SluiceCodec
import SluiceNN
import Testing

/// GRVQ nearest-code search and decoding on hand-made codebooks.
@Suite struct GRVQTests {
    /// 2 levels × 2 groups × 4 codes of 2 dims.
    let quantizer = try! GRVQ(
        codebooks: Tensor(
            shape: [2, 2, 4, 2],
            values: [
                // level 0, group 0
                0, 0, 1, 0, 0, 1, 1, 1,
                // level 0, group 1
                -1, 0, 2, 0, 0, -2, 5, 5,
                // level 1, group 0
                0.1, 0, 0, 0.1, -0.1, 0, 0, -0.1,
                // level 1, group 1
                0, 0, 0.5, 0, 0, 0.5, 0.5, 0.5,
            ]))

    @Test func encodesLevelMajorWithResiduals() {
        // group 0 = (1.1, 0): level 0 → code 1 (1, 0), residual (0.1, 0) → code 0. group 1 = (2, 0.5): code 1, then code 2.
        let codes = quantizer.encode([1.1, 0, 2, 0.5], frames: 1)
        #expect(codes == [1, 1, 0, 2])
        #expect(quantizer.decode(codes, frames: 1) == [1.1, 0, 2, 0.5])
    }

    @Test func tiesGoToTheLowestIndex() {
        // (0.5, 0) is as far from code 0 (0, 0) as from code 1 (1, 0).
        let codes = quantizer.encode([0.5, 0, -1, 0], frames: 1)
        #expect(codes[0] == 0)
        #expect(codes[1] == 0)
    }

    @Test func framesAreIndependent() {
        let frames: [Float] = [1.1, 0, 2, 0.5, 0, 1, 5, 5]
        let both = quantizer.encode(frames, frames: 2)
        #expect(Array(both[0..<4]) == quantizer.encode(Array(frames[0..<4]), frames: 1))
        #expect(Array(both[4..<8]) == quantizer.encode(Array(frames[4..<8]), frames: 1))
    }
}
