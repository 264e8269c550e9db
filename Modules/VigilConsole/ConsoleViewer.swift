import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JSONCoding
import Kernel
import Synchronization
import VigilIdentity
import VigilServer

/// Who is looking at a console page: the signed-in principal, the session secret their cookie
/// carries, the CSRF token derived from it, and their language.
struct ConsoleViewer: Sendable {
    let principal: Principal
    let secret: String
    let locale: ConsoleLocale
    let keyboardShortcuts: Bool

    /// Bound to the session and unguessable without its secret (which the page's scripts cannot
    /// read: the cookie is HttpOnly), so a form another site makes the browser send lacks it.
    var csrfToken: String { ConsoleViewer.csrfToken(forSecret: secret) }

    static func csrfToken(forSecret secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array("vigil-console-csrf\u{0}\(secret)".utf8))).prefix(40).description
    }

    /// Constant-time comparison, so that the answer's timing does not reveal a prefix.
    static func same(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Sessions as the console uses them: the cookie, the idle clock, the viewer's preferences.
final class ConsoleSessions: Sendable {
    static let cookie = "vigil_session"
    let runtime: VigilRuntime
    /// When each session was last recorded as used, so that a busy page costs one write a minute.
    private let touched = Mutex<[String: Date]>([:])

    init(runtime: VigilRuntime) { self.runtime = runtime }

    func viewer(for request: Request) async throws -> ConsoleViewer? {
        guard let secret = request.cookies[ConsoleSessions.cookie]?.value, secret.hasPrefix(SessionService.secretPrefix),
            let principal = try await runtime.authenticator.principal(forSecret: secret)
        else { return nil }
        await touch(secret)
        let preferences = try await ConsolePreferences.read(principal.userID, runtime: runtime)
        let language = preferences?.language ?? LanguageChoice.best(request.headers[.acceptLanguage]) ?? "pt-BR"
        let zone = preferences?.timeZone.flatMap(TimeZone.init(identifier:))
        return ConsoleViewer(
            principal: principal, secret: secret, locale: ConsoleLocale(language: language, timeZone: zone),
            keyboardShortcuts: preferences?.keyboardShortcuts ?? true)
    }

    private func touch(_ secret: String) async {
        let now = runtime.clock.now()
        let due = touched.withLock { seen -> Bool in
            if let last = seen[secret], now.timeIntervalSince(last) < 60 { return false }
            if seen.count > 10_000 { seen.removeAll() }
            seen[secret] = now
            return true
        }
        guard due else { return }
        do {
            try await runtime.sessions.touch(secret: secret)
        } catch {
            runtime.logger.warning("could not record a console session's use: \(error)")
        }
    }

    /// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
    /// sends it), Secure when the browser reached us over TLS (a proxy says so).
    static func cookie(_ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: cookie, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func overTLS(_ request: Request) -> Bool {
        request.head.scheme == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}

/// The language a browser asks for, among the console's: `pt*` is pt-BR, `zh*` zh-CN, `en*` en,
/// by the order and weights of Accept-Language.
enum LanguageChoice {
    static func best(_ header: String?) -> String? {
        guard let header else { return nil }
        let ranges = header.split(separator: ",").enumerated().compactMap { index, part -> (tag: String, weight: Double, index: Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag.lowercased(), weight, index)
        }
        for range in ranges.sorted(by: { $0.weight != $1.weight ? $0.weight > $1.weight : $0.index < $1.index }) where range.weight > 0 {
            if range.tag.hasPrefix("pt") { return "pt-BR" }
            if range.tag.hasPrefix("zh") { return "zh-CN" }
            if range.tag.hasPrefix("en") { return "en" }
        }
        return nil
    }
}
