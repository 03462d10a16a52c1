import Foundation
import Testing

/// `sluice --help` and every subcommand's help, pinned: a flag, default or wording that changes shows up in review.
///
/// After an intended change, rewrite the pinned files: `SLUICE_UPDATE_HELP=1 swift test … --filter HelpTests`.
@Suite struct HelpTests {
    static let commands = [
        "", "run", "batch", "transcribe", "validate", "stages", "serve",
        "models", "models fetch", "models list", "models path",
        "series", "series eval", "series nab", "series cost",
        "codec", "codec encode", "codec decode", "codec info",
        "simul", "simul score",
    ]

    @Test(arguments: commands) func helpIsPinned(_ command: String) throws {
        let words = command.split(separator: " ").map(String.init)
        // A fixed width: help wraps to the terminal, and COLUMNS overrides it.
        let result = try SluiceProcess.run(words + ["--help"], environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        let name = command.isEmpty ? "sluice" : "sluice-" + words.joined(separator: "-")
        let pinned = SluiceProcess.packageRoot.appendingPathComponent("Tests/SluiceCLITests/Help/\(name).txt")
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_HELP"] == "1" {
            try result.stdout.write(to: pinned)
            return
        }
        let expected = try String(contentsOf: pinned, encoding: .utf8)
        #expect(result.stdoutText == expected, "help of '\(name)' changed; if intended: SLUICE_UPDATE_HELP=1 swift test --filter HelpTests")
    }
}
