import FuzzSupport

/// `multipart/form-data` uploads (`MultipartForm`, compiled here from Sources/SluiceServer/HTTP): the input's first
/// line is the request's Content-Type, the rest its body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let contentType = String(decoding: input.line(), as: UTF8.self)
    let body = Array(input.bytes)
    guard let boundary = try? MultipartForm.boundary(contentType: contentType) else { return 0 }
    expect(!boundary.isEmpty && boundary.count <= 70, "boundary '\(boundary)' from '\(contentType)'")
    guard let form = try? MultipartForm(body: body, boundary: boundary) else { return 0 }
    for part in form.parts {
        expect(part.body.startIndex >= 0 && part.body.endIndex <= body.count, "part '\(part.name)' lies outside the body")
        _ = part.text
    }
    _ = form.field("model")
    _ = form.part("file")
    return 0
}
