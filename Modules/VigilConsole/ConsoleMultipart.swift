import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore

/// Reads a `multipart/form-data` body (RFC 7578), the form of a page that takes files: its text
/// fields as the page's form, its files as uploads. The whole body is read up to the page's
/// limit; a part without a name, a second file under one name or a body that does not end
/// with its closing boundary is refused as not a form.
enum ConsoleMultipart {
    static func read(_ request: Request, limit: Int) async throws -> (FormValues, [String: ConsoleUpload]) {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(in: type)
        else { throw ConsoleRefusal.notAForm }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError { throw ConsoleRefusal.tooLarge }
        guard let parsed = parse(Data(body.readableBytesView), boundary: boundary) else { throw ConsoleRefusal.notAForm }
        return parsed
    }

    /// The `boundary` parameter of a multipart content type, unquoted.
    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) -> (FormValues, [String: ConsoleUpload])? {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        var fields: [(name: String, value: String)] = []
        var uploads: [String: ConsoleUpload] = [:]
        guard var cursor = body.range(of: delimiter)?.upperBound else { return nil }
        while true {
            // After a delimiter: "--" closes the body, CRLF starts a part.
            let rest = body[cursor...]
            if rest.starts(with: Data("--".utf8)) { return (FormValues(fields), uploads) }
            guard rest.starts(with: Data("\r\n".utf8)) else { return nil }
            let partStart = cursor + 2
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: partStart..<body.endIndex) else { return nil }
            let part = body[partStart..<next.lowerBound]
            guard let headerEnd = part.range(of: separator) else { return nil }
            let headers = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            let content = part[headerEnd.upperBound...]
            guard let disposition = header("content-disposition", in: headers), let name = parameter("name", in: disposition) else { return nil }
            if let fileName = parameter("filename", in: disposition) {
                guard uploads[name] == nil else { return nil }
                // An empty file input sends a part with no name and no bytes: no upload.
                if !fileName.isEmpty || !content.isEmpty {
                    uploads[name] = ConsoleUpload(fileName: fileName, contentType: header("content-type", in: headers), data: Data(content))
                }
            } else {
                fields.append((name, String(decoding: content, as: UTF8.self)))
            }
            cursor = next.upperBound
        }
    }

    static func header(_ name: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// A parameter of a Content-Disposition value: `name="file"`, `filename="a b.csv"`.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var text = pair[1]
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return text.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }
}
