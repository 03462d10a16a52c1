import Foundation
import Testing

/// The committed golden fixtures (Tests/SluiceSimulTests/Fixtures, made by Benchmarks/simul/make-fixtures.py
/// with SimulEval 1.1.4 and sacreBLEU 2.6.0).
enum FixtureFiles {
    /// A fixture decoded from its JSON file.
    static func load<Fixture: Decodable>(
        _ type: Fixture.Type, from name: String, keys: JSONDecoder.KeyDecodingStrategy
    ) throws -> Fixture {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = keys
        return try decoder.decode(type, from: data)
    }
}

/// latency.json: SimulEval's scorers on single instances, small corpora and its quick start.
struct LatencyFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let delays: [Double]
        let elapsed: [Double]?
        let sourceLength: Double
        let reference: String?
        let referenceLength: Int?
        let scores: [String: Double?]
        let scoresWithoutReferenceLength: [String: Double?]
        let computationAwareScores: [String: Double?]?
    }

    struct Corpus: Decodable {
        let name: String
        let cases: [Int]
        let scores: [String: Double?]
    }

    struct QuickStart: Decodable {
        struct Row: Decodable {
            let delays: [Double]
            let sourceLength: Double
            let reference: String
        }
        let instances: [Row]
        let scores: [String: Double]
        let printed: [String: Double]
    }

    let generator: String
    let cases: [Case]
    let corpora: [Corpus]
    let quickStart: QuickStart

    static func load() throws -> LatencyFixture {
        try FixtureFiles.load(LatencyFixture.self, from: "latency.json", keys: .convertFromSnakeCase)
    }
}

/// quality.json: sacreBLEU's 13a tokenizer, BLEU and chrF on pinned segments.
struct QualityFixture: Decodable {
    struct Tokenization: Decodable {
        let input: String
        let output: String
    }

    struct BLEUResult: Decodable {
        let score: Double
        let counts: [Int]
        let totals: [Int]
        let precisions: [Double]
        let bp: Double
        let sysLen: Int
        let refLen: Int
        let printed: String
    }

    struct Case: Decodable {
        let name: String
        let hypotheses: [String]
        let references: [String]
        let bleu: BLEUResult
        let chrf: Double
        let sentenceBleu: [Double]
        let sentenceChrf: [Double]
    }

    let generator: String
    let tokenizations: [Tokenization]
    let cases: [Case]

    static func load() throws -> QualityFixture {
        try FixtureFiles.load(QualityFixture.self, from: "quality.json", keys: .convertFromSnakeCase)
    }
}
