import Foundation
import SluiceVAD
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

    private static let vad = Mutex<[String: SileroNetwork]>([:])

    /// Silero VAD (`sluice models fetch silero-vad`), loaded on first use; a missing or unreadable model is
    /// one error saying how to install it.
    public static func sileroVAD(store: ModelStore = ModelStore()) throws -> SileroNetwork {
        let path = store.path(of: ModelStore.sileroVAD).appendingPathComponent(ModelStore.sileroVADFile).path
        if let network = vad.withLock({ $0[path] }) { return network }
        guard store.isInstalled(ModelStore.sileroVAD) else {
            throw ModelStoreError("the Silero VAD model is not installed; run: sluice models fetch \(ModelStore.sileroVAD)")
        }
        let network: SileroNetwork
        do {
            network = SileroNetwork(weights: try SileroWeights(path: path))
        } catch {
            throw ModelStoreError("\(error)")
        }
        vad.withLock { $0[path] = network }
        return network
    }
}
