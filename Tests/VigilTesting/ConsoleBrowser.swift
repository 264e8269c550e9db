import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser as the console's tests need one, over the real HTTP server: a cookie jar, forms sent
/// urlencoded with the page's Origin, redirects not followed (a test looks at the 303 itself, then
/// `follow`s it), and a way to read a form's hidden fields out of a page.
public actor ConsoleBrowser {
    public let baseURL: String
    public let language: String
    public private(set) var cookies: [String: String] = [:]

    /// Redirects are the console's answers to forms: a test must see them, not have them followed.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    public init(baseURL: String, language: String = "en") {
        self.baseURL = baseURL
        self.language = language
    }

    public struct Page: Sendable {
        public let status: Int
        public let headers: [String: String]
        /// Every Set-Cookie line, as sent.
        public let setCookies: [String]
        public let html: String

        public var location: String? { headers["location"] }
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> Page {
        try await send("GET", path, body: nil, headers: headers)
    }

    /// Sends a form as a browser does from a page of this server (Origin and Sec-Fetch-Site
    /// included unless `headers` says otherwise).
    public func post(_ path: String, form: [(String, String)], headers: [String: String] = [:]) async throws -> Page {
        let body = form.map { ConsoleBrowser.encode($0.0) + "=" + ConsoleBrowser.encode($0.1) }.joined(separator: "&")
        var all = ["Content-Type": "application/x-www-form-urlencoded", "Origin": baseURL, "Sec-Fetch-Site": "same-origin"]
        all.merge(headers) { _, new in new }
        return try await send("POST", path, body: body, headers: all)
    }

    /// Sends a form with a file as a browser does (`multipart/form-data`).
    public func upload(_ path: String, form: [(String, String)], file: (field: String, name: String, content: String)) async throws -> Page {
        let boundary = "----VigilTestBoundary\(UInt32.random(in: 0...UInt32.max))"
        var body = ""
        for (name, value) in form {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
        let headers = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Origin": baseURL, "Sec-Fetch-Site": "same-origin"]
        return try await send("POST", path, body: body, headers: headers)
    }

    /// The page a redirect names.
    public func follow(_ page: Page) async throws -> Page {
        guard let location = page.location else { return page }
        let path = location.hasPrefix(baseURL) ? String(location.dropFirst(baseURL.count)) : location
        return try await get(path)
    }

    /// Signs in through the login page's form; the answer is the form's (a 303 when it worked).
    @discardableResult
    public func signIn(_ email: String, _ password: String, next: String? = nil) async throws -> Page {
        let login = try await get("/console/login")
        let token = ConsoleBrowser.hidden("_csrf", in: login.html) ?? ""
        var form = [("_csrf", token), ("email", email), ("password", password)]
        if let next { form.append(("next", next)) }
        return try await post("/console/login", form: form)
    }

    public func forget(_ cookie: String) { cookies[cookie] = nil }

    /// The value of the hidden input `name`, in the form `formID` when given, else the first.
    public static func hidden(_ name: String, in html: String, form formID: String? = nil) -> String? {
        var scope = html[...]
        if let formID, let start = html.range(of: "id=\"\(formID)\"") {
            scope = html[start.upperBound...]
            if let end = scope.range(of: "</form>") { scope = scope[..<end.lowerBound] }
        }
        guard let field = scope.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let value = scope[field.upperBound...].prefix { $0 != "\"" }
        return String(value).replacingOccurrences(of: "&amp;", with: "&")
    }

    private func send(_ method: String, _ path: String, body: String?, headers: [String: String]) async throws -> Page {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept-Language", value: language)
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")) }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await ConsoleBrowser.client.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 8 << 20)
        var collected: [String: String] = [:]
        var setCookies: [String] = []
        for header in response.headers {
            collected[header.name.lowercased()] = header.value
            if header.name.lowercased() == "set-cookie" { setCookies.append(header.value) }
        }
        for line in setCookies { remember(line) }
        return Page(
            status: Int(response.status.code), headers: collected, setCookies: setCookies, html: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    private func remember(_ line: String) {
        let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals])
        let value = String(pair[pair.index(after: equals)...])
        let expired = parts.contains { $0.lowercased() == "max-age=0" }
        cookies[name] = value.isEmpty || expired ? nil : value
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension ConsoleBrowser {
    /// The live feed as this browser's EventSource would open it.
    public func openLive(domains: String = "incident-ops", lastEventID: String? = nil) async throws -> EventStreamCollector {
        var headers = ["Accept-Language": language]
        let jar = cookies
        if !jar.isEmpty { headers["Cookie"] = jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if let lastEventID { headers["Last-Event-ID"] = lastEventID }
        return try await EventStreamCollector.open(baseURL, "/console/live?domains=\(domains)", headers: headers)
    }
}
