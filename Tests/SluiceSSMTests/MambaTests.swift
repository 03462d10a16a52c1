import SluiceNN
import SluiceSSM
import Testing

@Suite("Mamba")
struct MambaTests {
    /// The residual Mamba block (batch mode) matches PyTorch's float64 reference.
    @Test func blockMatchesPyTorchGolden() throws {
        let tensors = try FixtureFiles.golden("mamba-block.safetensors")
        let block = try MambaBlock(TensorLookup(tensors))
        let input = tensors["input"]!, expected = tensors["expected"]!
        #expect(relativeError(block(input.values, length: input.shape[0]), expected.values) < 1e-5)
    }

    /// Step mode (rolled conv state + SSM state) reproduces batch mode to rel 1e-4.
    @Test func stepModeAgreesWithBatchMode() throws {
        let tensors = try FixtureFiles.golden("mamba-block.safetensors")
        let block = try MambaBlock(TensorLookup(tensors))
        let input = tensors["input"]!
        let (length, width) = (input.shape[0], input.shape[1])
        let batch = block(input.values, length: length)
        var state = block.mixer.makeState()
        var stepped = [Float]()
        for t in 0..<length { stepped += block.step(Array(input.values[(t * width)..<((t + 1) * width)]), state: &state) }
        #expect(relativeError(stepped, batch) < 1e-4)
    }

    /// Batch mode over chunks with a carried state equals one batch over the whole sequence.
    @Test func chunksCarryState() throws {
        let tensors = try FixtureFiles.golden("mamba-block.safetensors")
        let mixer = try MambaMixer(TensorLookup(tensors).child("mixer"))
        let input = tensors["input"]!
        let (length, width) = (input.shape[0], input.shape[1])
        let whole = mixer(input.values, length: length)
        var state = mixer.makeState()
        var chunked = [Float]()
        for start in stride(from: 0, to: length, by: 5) {
            let rows = min(5, length - start)
            chunked += mixer(Array(input.values[(start * width)..<((start + rows) * width)]), length: rows, state: &state)
        }
        #expect(relativeError(chunked, whole) < 1e-4)
    }
}
