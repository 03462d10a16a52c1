import Foundation
import Hummingbird
import NIOCore
import SluiceWhisper

/// `GET /v1/models` and `/v1/models/{id}`, in OpenAI's shapes: the models a client may name in `model`.
///
/// `whisper-1` (OpenAI's name, which the file endpoints take) is listed first, then each model the served
/// pipelines load, by the name they give it. `created` is when the server started.
struct ModelsEndpoint: Sendable {
    let ids: [String]
    let created: Int

    init(pipelines: ServedPipelines, created: Int = Int(Date().timeIntervalSince1970)) {
        var ids = pipelines.transcription == nil ? [] : ["whisper-1"]
        let names = [pipelines.transcription?.modelName, pipelines.transcriptionStream?.modelName, pipelines.translationStream?.modelName]
        for name in names.compactMap({ $0.map(Self.publicName) }) where !ids.contains(name) { ids.append(name) }
        self.ids = ids
        self.created = created
    }

    /// `{"object":"list","data":[model, …]}`.
    func list() -> Response {
        json(.object([("object", .string("list")), ("data", .array(ids.map(model)))]))
    }

    /// One model, or 404 in OpenAI's error shape.
    func model(id: String) throws -> Response {
        guard ids.contains(id) else {
            throw APIError(
                status: .notFound, message: "the model '\(id)' is not served here (GET /v1/models lists those that are)",
                type: "invalid_request_error", param: nil, code: "model_not_found")
        }
        return json(model(id))
    }

    private func model(_ id: String) -> JSONText {
        .object([("id", .string(id)), ("object", .string("model")), ("created", .integer(created)), ("owned_by", .string("sluice"))])
    }

    private func json(_ value: JSONText) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.serialized)))
    }

    /// A model's name as clients see it: a model given as a directory is named by its last component, so
    /// that no server path is shown.
    static func publicName(_ name: String) -> String {
        name.contains("/") ? URL(fileURLWithPath: name).lastPathComponent : name
    }
}
