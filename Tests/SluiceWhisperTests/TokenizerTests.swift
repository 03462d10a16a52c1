import Foundation
import SluiceWhisper
import Testing

/// The tokenizer on the hand-made fixture (see Fixtures/make_fixture_tokenizer.py): ids 0…255 are bytes,
/// 256 `Ġt`, 257 `he`, 258 `ll`, 259 `llo`, 260 `hello`, 261 `el`, 262 `Ġthe`, 263 `?!`, 264 `,-`, then special
/// tokens: 265 `<|endoftext|>`, 266 `<|startoftranscript|>`, 267 `<|en|>`, 268 `<|ja|>`.
@Suite struct TokenizerTests {
    @Test(arguments: [
        ("hello", [260]),
        ("ell", [101, 258]),
        ("help", [257, 108, 112]),
        (" the hello", [262, 32, 260]),
        ("hello, the  end\n", [260, 44, 262, 32, 32, 101, 110, 100, 10]),
        ("é", [195, 169]),
        ("hi?! hello,-", [104, 105, 263, 32, 260, 264]),
        ("", []),
    ])
    func encodesByMergeRankAsHuggingFaceDoes(text: String, ids: [Int]) throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        #expect(tokenizer.encode(text) == ids)
        #expect(tokenizer.decode(ids) == text)
    }

    @Test func findsSpecialTokensByName() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        #expect(tokenizer.token(for: "<|endoftext|>") == 265)
        #expect(tokenizer.token(for: "<|en|>") == 267)
        #expect(tokenizer.token(for: "<|de|>") == nil)
        #expect(tokenizer.firstSpecial == 265)
    }

    @Test func decodingSkipsSpecialTokens() throws {
        let tokenizer = try FixtureFiles.fixtureTokenizer()
        #expect(tokenizer.decode([266, 267, 262, 265]) == " the")
    }

    @Test func readsMergesWrittenAsPairs() throws {
        var json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: FixtureFiles.fixture("fixture-tokenizer.json"))))
            as! [String: Any]
        var model = json["model"] as! [String: Any]
        model["merges"] = (model["merges"] as! [String]).map { $0.split(separator: " ").map(String.init) }
        json["model"] = model
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tokenizer-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: json).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        #expect(try Tokenizer(path: path.path).encode(" the hello") == [262, 32, 260])
    }

    @Test func aBrokenFileIsOneClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tokenizer-\(UUID().uuidString).json")
        try Data(#"{"model": {"vocab": {"a": 0}}}"#.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        #expect(throws: TokenizerError.self) { try Tokenizer(path: path.path) }
        do { _ = try Tokenizer(path: path.path) } catch {
            #expect("\(error)" == "\(path.path): not a tokenizer.json with model.vocab and model.merges")
        }
        do { _ = try Tokenizer(path: "/nonexistent/tokenizer.json") } catch {
            #expect("\(error)".hasPrefix("/nonexistent/tokenizer.json: cannot read"))
        }
    }
}
