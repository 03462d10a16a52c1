import Foundation
import Testing

@testable import SluiceServer

/// multipart/form-data parsing, on bodies as curl writes them.
@Suite struct MultipartFormTests {
    static func body(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    @Test func boundaryComesFromTheContentType() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=------abc") == "------abc")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"x y\"") == "x y")
        #expect(throws: MultipartForm.FormatError("Content-Type is 'application/json', expected multipart/form-data")) {
            try MultipartForm.boundary(contentType: "application/json")
        }
        #expect(throws: MultipartForm.FormatError("Content-Type multipart/form-data has no boundary parameter")) {
            try MultipartForm.boundary(contentType: "multipart/form-data")
        }
    }

    @Test func fieldsAndFilesAreParsed() throws {
        // The file's content holds a lone CR LF and the boundary without the CR LF that would end the part.
        let content = Array("RIFF\r\n-XyZ--XyZ".utf8) + [0, 1, 0xFF]
        let bytes =
            Self.body(
                """
                preamble
                --XyZ
                Content-Disposition: form-data; name="model"

                whisper-1
                --XyZ
                content-disposition: form-data; name="file"; filename="a \\"b\\".wav"
                Content-Type: audio/wav


                """) + content + Self.body("\n--XyZ--\n")
        let form = try MultipartForm(body: bytes, boundary: "XyZ")
        #expect(form.parts.count == 2)
        #expect(form.field("model") == "whisper-1")
        let file = try #require(form.part("file"))
        #expect(file.filename == "a \"b\".wav")
        #expect(file.contentType == "audio/wav")
        #expect(Array(file.body) == content)
        #expect(form.field("missing") == nil)
    }

    @Test func truncatedAndHeaderlessBodiesAreRejected() {
        #expect(throws: MultipartForm.FormatError("part 1: no boundary after its content (the body is truncated)")) {
            try MultipartForm(body: Self.body("--b\nContent-Disposition: form-data; name=\"file\"\n\nabc"), boundary: "b")
        }
        #expect(throws: MultipartForm.FormatError("part 1 has no Content-Disposition: form-data; name=\"…\" header")) {
            try MultipartForm(body: Self.body("--b\nContent-Type: text/plain\n\nabc\n--b--\n"), boundary: "b")
        }
        #expect(throws: MultipartForm.FormatError("the body has no boundary line '--b'")) {
            try MultipartForm(body: Self.body("hello"), boundary: "b")
        }
    }
}
