import Foundation

/// A `multipart/form-data` body (RFC 7578): named parts, each a text field or an uploaded file.
struct MultipartForm {
    /// One part: its `Content-Disposition` name (and file name), content type and bytes.
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: ArraySlice<UInt8>

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why a body is not a form this parser accepts.
    struct FormatError: Error, Equatable, CustomStringConvertible {
        var message: String
        init(_ message: String) { self.message = message }
        var description: String { message }
    }

    var parts: [Part]

    /// The text of the first field called `name`.
    func field(_ name: String) -> String? { parts.first { $0.name == name }?.text }

    /// The first part called `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    /// - Throws: `FormatError` for another content type or a missing boundary.
    static func boundary(contentType: String) throws(FormatError) -> String {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else {
            throw FormatError("Content-Type is '\(contentType)', expected multipart/form-data")
        }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value =
                    pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
                guard !value.isEmpty, value.count <= 70 else { break }
                return value
            }
        }
        throw FormatError("Content-Type multipart/form-data has no boundary parameter")
    }

    /// Parses `body`, whose parts are separated by `--boundary` lines.
    /// - Throws: `FormatError` naming what is missing (the first boundary, a part's headers, the closing boundary).
    init(body: [UInt8], boundary: String) throws(FormatError) {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard let first = Self.find(delimiter, in: body, from: 0) else { throw FormatError("the body has no boundary line '--\(boundary)'") }
        var position = first + delimiter.count
        parts = []
        while true {
            if body[position...].starts(with: Array("--".utf8)) { return }  // the closing boundary
            guard let lineEnd = Self.find(Array("\r\n".utf8), in: body, from: position) else {
                throw FormatError("part \(parts.count + 1): the boundary line does not end")
            }
            // The headers run from the boundary line's end to the first empty line (none: "\r\n\r\n" at once).
            guard let headersEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: lineEnd) else {
                throw FormatError("part \(parts.count + 1): its headers do not end with an empty line")
            }
            let headers = String(decoding: body[min(lineEnd + 2, headersEnd)..<headersEnd], as: UTF8.self)
            let bodyStart = headersEnd + 4
            guard let bodyEnd = Self.find(separator, in: body, from: bodyStart) else {
                throw FormatError("part \(parts.count + 1): no boundary after its content (the body is truncated)")
            }
            parts.append(try Self.part(headers: headers, body: body[bodyStart..<bodyEnd], index: parts.count + 1))
            position = bodyEnd + separator.count
        }
    }

    private static func part(headers: String, body: ArraySlice<UInt8>, index: Int) throws(FormatError) -> Part {
        var disposition: [String: String]?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-disposition": disposition = parameters(value)
            case "content-type": contentType = value
            default: break
            }
        }
        guard let disposition, let name = disposition["name"] else {
            throw FormatError("part \(index) has no Content-Disposition: form-data; name=\"…\" header")
        }
        return Part(name: name, filename: disposition["filename"], contentType: contentType, body: body)
    }

    /// The `key=value` parameters of a header value such as `form-data; name="file"; filename="a.wav"`.
    private static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(value)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        parsed.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        parsed.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parsed = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            result[key] = parsed
        }
        return result
    }

    /// The index of the first occurrence of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count - start >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pattern in
                let first = pattern[0]
                var index = start
                let last = hay.count - pattern.count
                while index <= last {
                    if hay[index] == first {
                        var matched = 1
                        while matched < pattern.count, hay[index + matched] == pattern[matched] { matched += 1 }
                        if matched == pattern.count { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
