import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore

/// The HTTP side of console pages: redirects, form bodies, the origin check.
enum ConsoleHTTP {
    /// 303: after a POST the browser GETs the new page, so a reload never submits twice.
    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func form(_ request: Request, limit: Int) async throws -> FormValues {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw ConsoleRefusal.notAForm
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return FormValues(urlEncoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
        } catch is NIOTooManyBytesError {
            throw ConsoleRefusal.tooLarge
        }
    }

    /// A browser names where a POST comes from; one from another site is refused even before
    /// its token is looked at. (Absent headers, as from an old client, leave the token to decide.)
    static func checkOrigin(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" {
            throw ConsoleRefusal.crossSite
        }
        if let origin = request.headers[HTTPField.Name("Origin")!], origin != "null", let host = request.head.authority {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
            if originHost != host { throw ConsoleRefusal.crossSite }
        }
    }

    /// Only a path of this console may follow a sign-in (never another site: no open redirect,
    /// and no `..` that the browser would resolve out of /console).
    static func safeNext(_ next: String?) -> String {
        guard let next, next == "/console" || next.hasPrefix("/console/") || next.hasPrefix("/console?"),
            !next.contains("\\"), !next.contains("://"), next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { return "/console" }
        let path = next.split(separator: "?", maxSplits: 1).first.map(String.init) ?? next
        let decoded = path.removingPercentEncoding ?? path
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard !decoded.contains("//"), !segments.contains(where: { $0 == "." || $0 == ".." }), !decoded.contains("\\") else { return "/console" }
        return next
    }
}
