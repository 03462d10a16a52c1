/// The live-captions page's files, embedded in the binary when it is built (SwiftPM's `embedInCode`
/// resources), so that an installed `sluice` serves the page with no file beside it.
///
/// Adding a file to the page: list it here and in `Package.swift`'s `SluiceWebPage` resources.
public enum WebPage {
    /// One file of the page: its name (served at `/NAME`), its media type and its bytes.
    public struct File: Sendable {
        public let name: String
        public let contentType: String
        public let bytes: [UInt8]
    }

    /// The page itself, served at `/` (and `/index.html`).
    public static let indexName = "index.html"

    /// Every file of the page.
    public static let files: [File] = [
        File(name: "index.html", contentType: html, bytes: PackageResources.index_html),
        File(name: "style.css", contentType: "text/css; charset=utf-8", bytes: PackageResources.style_css),
        File(name: "app.js", contentType: javaScript, bytes: PackageResources.app_js),
        File(name: "captions.js", contentType: javaScript, bytes: PackageResources.captions_js),
        File(name: "stream-client.js", contentType: javaScript, bytes: PackageResources.stream_client_js),
        File(name: "microphone.js", contentType: javaScript, bytes: PackageResources.microphone_js),
        File(name: "pcm-worklet.js", contentType: javaScript, bytes: PackageResources.pcm_worklet_js),
        File(name: "upload.js", contentType: javaScript, bytes: PackageResources.upload_js),
        File(name: "settings.js", contentType: javaScript, bytes: PackageResources.settings_js),
    ]

    private static let html = "text/html; charset=utf-8"
    /// Module scripts and AudioWorklet modules load only with a JavaScript media type.
    private static let javaScript = "text/javascript; charset=utf-8"
}
