import Foundation
import SluiceCore
import SluiceFiles
import Testing

/// How outputs are named: text kinds to file extensions, and `AtomicFile`'s temporary names.
@Suite struct OutputNamingTests {
    @Test func textKindsMapToFileExtensions() {
        let cases = ["verbose_json": "json", "json": "json", "jsonl": "jsonl", "srt": "srt", "vtt": "vtt", "txt": "txt", "terminal": "txt"]
        for (kind, expected) in cases {
            #expect(TextFormat(kind: kind).fileExtension == expected, "\(kind)")
            #expect(TextOutput.type.fileExtension(OptionValues([:]), .text(TextFormat(kind: kind))) == expected)
        }
    }

    @Test func temporaryNamesLeadBackToTheirDestination() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try AtomicFile(path: folder + "/talk.en.srt")
        let temporaryName = URL(fileURLWithPath: file.temporaryPath).lastPathComponent
        #expect(AtomicFile.destinationName(ofTemporary: temporaryName) == "talk.en.srt")
        file.discard()
        for other in ["talk.srt", ".talk.srt", ".talk.srt.tmp-", ".talk.srt.tmp-12", ".talk.srt.tmp-12-x", ".talk.srt.tmp-1-2-3"] {
            #expect(AtomicFile.destinationName(ofTemporary: other) == nil, "\(other)")
        }
    }
}
