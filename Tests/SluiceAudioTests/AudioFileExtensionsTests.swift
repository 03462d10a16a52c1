import SluiceAudio
import Testing

/// The extensions `sluice batch` looks for in folders for `type: audio` inputs.
@Suite struct AudioFileExtensionsTests {
    @Test func listsWhatLibsndfileReadsWithAliases() {
        let extensions = AudioDecoder.fileExtensions
        for name in ["wav", "flac", "ogg", "oga", "opus", "mp3", "aiff", "aif", "au", "caf", "w64", "rf64"] {
            #expect(extensions.contains(name), "\(name)")
        }
        for name in ["raw", "mat", "htk", "txt", "csv"] {
            #expect(!extensions.contains(name), "\(name)")
        }
        #expect(extensions.allSatisfy { $0 == $0.lowercased() && !$0.hasPrefix(".") })
    }
}
