import Foundation
import Synchronization

/// Whisper models loaded in this process, shared by every stage and session that names them.
public enum LoadedModels {
    private static let models = Mutex<[String: WhisperModel]>([:])

    /// The model for a catalogue name or directory, loaded on first use.
    public static func whisper(_ nameOrPath: String, store: ModelStore = ModelStore()) throws -> WhisperModel {
        let directory = try store.resolve(nameOrPath)
        if let model = models.withLock({ $0[directory] }) { return model }
        let model = try WhisperModel(directory: directory)
        return models.withLock { loaded in
            if let existing = loaded[directory] { return existing }
            loaded[directory] = model
            return model
        }
    }
}
