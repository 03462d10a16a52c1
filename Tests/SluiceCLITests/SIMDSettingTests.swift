import Foundation
import Testing

/// `SLUICE_SIMD`: a level runs, anything else is refused before the command starts (exit 78, configuration).
@Suite struct SIMDSettingTests {
    @Test func aValueThatIsNotALevelIsRefused() throws {
        let result = try SluiceProcess.run(["validate", "Pipelines/mel.yaml"], environment: ["SLUICE_SIMD": "avx3"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("SLUICE_SIMD=avx3 is not a SIMD level: use off, avx2, avx512, neon or auto"))
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: ["off", "avx2", "avx512", "neon", "auto", ""])
    func everyLevelRuns(value: String) throws {
        let result = try SluiceProcess.run(["validate", "Pipelines/mel.yaml"], environment: ["SLUICE_SIMD": value])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }
}
