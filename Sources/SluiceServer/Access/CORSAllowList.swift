import HTTPTypes
import Hummingbird

/// Hummingbird's CORS middleware, for the origins `--cors-origin` allows (`*`: any).
///
/// A request from an allowed origin gets `Access-Control-Allow-Origin` (a preflight `OPTIONS` is answered
/// here, with the methods and headers the API uses, `Authorization` included); a request from any other origin
/// gets no CORS header at all, so its browser keeps the answer from the page.
struct CORSAllowList<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>
    private let cors: CORSMiddleware<Context>

    init(origins: [String]) {
        self.origins = Set(origins)
        cors = CORSMiddleware(
            allowOrigin: origins.contains("*") ? .all : .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin],
            allowMethods: [.get, .post, .options], maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains("*") || origins.contains(origin) else {
            return try await next(request, context)
        }
        // Errors become answers here, so that a browser can read a 401 or a 429 too.
        return try await cors.handle(request, context: context) { request, context in
            do { return try await next(request, context) } catch let error as any HTTPResponseError {
                return try error.response(from: request, context: context)
            }
        }
    }
}
