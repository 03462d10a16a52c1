import Foundation
import SluiceNN
import SluiceSSM

/// A trained forecaster as `Training/series` exports it: `model.safetensors` plus `config.json` (kind, lookback,
/// horizon, channel names, the training scaler's statistics, the scores it was shipped with).
public struct ForecastModel: Sendable {
    /// The `config.json` of an exported model.
    public struct Config: Codable, Sendable {
        public struct Scaler: Codable, Sendable {
            public var mean: [Double]
            public var std: [Double]
        }

        public struct Scores: Codable, Sendable {
            public var mse: Double
            public var mae: Double
            public var windows: Int
        }

        public var kind: String
        public var dataset: String
        public var lookback: Int
        public var horizon: Int
        public var channels: [String]
        public var scaler: Scaler
        /// The instance normalisation's epsilon.
        public var revinEpsilon: Double
        /// The PyTorch evaluation on the test split at export.
        public var test: Scores

        enum CodingKeys: String, CodingKey {
            case kind, dataset, lookback, horizon, channels, scaler, test
            case revinEpsilon = "revin_eps"
        }
    }

    public let name: String
    public let config: Config
    /// The model's batch (window) form, for evaluation.
    public let forecaster: any WindowForecasting

    /// Loads a model directory.
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: Data(contentsOf: url.appendingPathComponent("config.json")))
        } catch {
            throw ModelFileError("\(directory)/config.json: \(error)")
        }
        let tensors = try Safetensors.load(path: url.appendingPathComponent("model.safetensors").path)
        name = url.lastPathComponent
        self.config = config
        let (lookback, horizon, epsilon) = (config.lookback, config.horizon, config.revinEpsilon)
        switch config.kind {
        case "s4d": forecaster = try S4DForecaster(TensorLookup(tensors), lookback: lookback, horizon: horizon, epsilon: epsilon)
        case "mamba": forecaster = try MambaForecaster(TensorLookup(tensors), lookback: lookback, horizon: horizon, epsilon: epsilon)
        default: throw ModelFileError("\(directory): model kind '\(config.kind)' is not served (Sluice runs 's4d' and 'mamba' forecasters)")
        }
    }

    /// The model's step (streaming) form: S4D forecasters only, whose window state slides at constant cost.
    public func streamingForecaster() throws -> S4DForecaster {
        guard let s4d = forecaster as? S4DForecaster else {
            throw ModelFileError("model '\(name)' is a \(config.kind) forecaster, which runs on whole windows; streaming needs an 's4d' model")
        }
        return s4d
    }

    /// A shipped model by name (`etth1-96`, …) or a model directory by path.
    public init(resolving nameOrPath: String) throws {
        if let directory = Self.shippedDirectory(nameOrPath) {
            try self.init(directory: directory)
        } else if FileManager.default.fileExists(atPath: URL(fileURLWithPath: nameOrPath).appendingPathComponent("config.json").path) {
            try self.init(directory: nameOrPath)
        } else {
            let names = Self.shippedNames.joined(separator: ", ")
            throw ModelFileError("unknown series model '\(nameOrPath)': not a shipped model (\(names)) nor a model directory")
        }
    }

    /// The names of the models shipped with Sluice, sorted by dataset and horizon.
    public static var shippedNames: [String] {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Models"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        return names.filter { shippedDirectory($0) != nil }.sorted { a, b in
            let (da, ha) = split(a), (db, hb) = split(b)
            return da == db ? ha < hb : da < db
        }
    }

    private static func split(_ name: String) -> (String, Int) {
        let parts = name.split(separator: "-")
        return (String(parts.first ?? ""), Int(parts.last ?? "") ?? 0)
    }

    private static func shippedDirectory(_ name: String) -> String? {
        guard !name.contains("/"), let root = Bundle.module.resourceURL?.appendingPathComponent("Models/\(name)") else { return nil }
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("config.json").path) ? root.path : nil
    }
}
