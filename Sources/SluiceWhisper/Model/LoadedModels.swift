import Foundation
import Synchronization

/// Whisper models loaded in this process, shared by every stage and session that names them.
///
/// Each model directory is read once: callers that ask while it loads (batch workers starting
/// together) wait for that load instead of reading the weights again.
public enum LoadedModels {
    private static let models = Mutex<[String: WhisperModel]>([:])
    /// Held while a model loads; lookups of models already loaded do not take it.
    private static let loading = NSLock()

    /// The model for a catalogue name or directory, loaded on first use.
    public static func whisper(_ nameOrPath: String, store: ModelStore = ModelStore()) throws -> WhisperModel {
        let directory = try store.resolve(nameOrPath)
        if let model = models.withLock({ $0[directory] }) { return model }
        return try loading.withLock {
            if let model = models.withLock({ $0[directory] }) { return model }
            let model = try WhisperModel(directory: directory)
            models.withLock { $0[directory] = model }
            return model
        }
    }
}
