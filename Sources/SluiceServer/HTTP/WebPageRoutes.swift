import HTTPTypes
import Hummingbird
import NIOCore
import SluiceWebPage

/// The live-captions page (`Web/`, embedded in the binary): `/` is its `index.html`, every file is served at
/// `/NAME`. Only the page's own file names are routes, so no path reaches the file system.
enum WebPageRoutes {
    static func add(to router: Router<some RequestContext>) {
        for file in WebPage.files {
            let response = Self.response(for: file)
            router.get(RouterPath("/" + file.name)) { _, _ in response }
            if file.name == WebPage.indexName { router.get("/") { _, _ in response } }
        }
    }

    /// The file's bytes with its media type; revalidated on each load (`no-cache`), so an upgraded server's
    /// page is never mixed with an old one's scripts.
    static func response(for file: WebPage.File) -> Response {
        var headers: HTTPFields = [
            .contentType: file.contentType, .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ]
        if file.name == WebPage.indexName {
            // Scripts, styles and connections only from the page's own origin (the WebSocket included).
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
