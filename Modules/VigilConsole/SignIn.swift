import Foundation
import Hummingbird
import JSONCoding
import Kernel
import Mustache
import VigilIdentity
import VigilServer

/// Sign-in and sign-out. The sign-in form is protected by a double-submit token (a cookie and a
/// hidden field that must match), so another site cannot sign a browser into its account; the
/// password check, its throttle and lockout, and the audit are the SessionService's, as for the API.
struct SignIn: Sendable {
    let console: Console
    static let tokenCookie = "vigil_signin"

    func mount(on router: Router<VigilRequestContext>) {
        router.get("/console/login") { request, _ in
            if try await console.sessions.viewer(for: request) != nil { return ConsoleHTTP.redirect("/console") }
            return try page(request, next: request.uri.queryParameters["next"].map(String.init), error: nil, status: .ok)
        }
        router.post("/console/login") { request, context in
            var next: String?
            do {
                let form = try await ConsoleHTTP.form(request, limit: 16 * 1024)
                next = form.single("next")
                try ConsoleHTTP.checkOrigin(request)
                guard let cookie = request.cookies[SignIn.tokenCookie]?.value, let token = form.single("_csrf"), ConsoleViewer.same(cookie, token) else {
                    throw ConsoleRefusal.expiredForm
                }
                let session = try await console.runtime.sessions.login(
                    email: form.single("email") ?? "", password: form.single("password") ?? "", requestID: context.requestID,
                    clientAddress: context.clientAddress)
                let maxAge = Int(session.expiresAt.timeIntervalSince(console.runtime.clock.now()))
                return ConsoleHTTP.redirect(
                    ConsoleHTTP.safeNext(next),
                    cookies: [
                        ConsoleSessions.cookie(session.secret, maxAge: maxAge, secure: ConsoleSessions.overTLS(request)),
                        Cookie(name: SignIn.tokenCookie, value: "", maxAge: 0, path: "/console/login", httpOnly: true, sameSite: .strict),
                    ])
            } catch let refusal as ConsoleRefusal {
                return try page(request, next: next, error: "signin-expired", status: HTTPResponse.Status(code: refusal.kind.status))
            } catch let error as VigilError {
                let key =
                    switch error.kind {
                    case .tooManyRequests: "signin-locked"
                    case .forbidden: "signin-expired"
                    default: "signin-refused"
                    }
                return try page(request, next: next, error: key, status: HTTPResponse.Status(code: error.kind.status))
            }
        }
        router.post("/console/logout") { request, context in
            guard let viewer = try await console.sessions.viewer(for: request) else { return ConsoleHTTP.redirect("/console/login") }
            do {
                let form = try await ConsoleHTTP.form(request, limit: 16 * 1024)
                try ConsoleHTTP.checkOrigin(request)
                guard let token = form.single("_csrf"), ConsoleViewer.same(token, viewer.csrfToken) else { throw ConsoleRefusal.expiredForm }
            } catch let refusal as ConsoleRefusal {
                let renderer = ConsoleRenderer(console: console, viewer: viewer, domain: .platform, menu: ConsoleMenu(pages: console.pages), currentPath: "")
                return try renderer.errorPage(refusal, request: request)
            }
            try await console.runtime.sessions.logout(by: Invocation(principal: viewer.principal, channel: .console, requestID: context.requestID))
            console.runtime.authenticator.invalidate()
            return ConsoleHTTP.redirect(
                "/console/login", cookies: [ConsoleSessions.cookie("", maxAge: 0, secure: ConsoleSessions.overTLS(request))])
        }
    }

    /// The form, with a fresh double-submit token in its cookie and its hidden field.
    private func page(_ request: Request, next: String?, error: String?, status: HTTPResponse.Status) throws -> Response {
        let language = LanguageChoice.best(request.headers[.acceptLanguage]) ?? "pt-BR"
        let token = Secrets.make(prefix: "")
        var context: [String: Any] = [
            "_t": console.catalogs.view(language: language, owner: .platform), "_lang": language, "_csrf": token,
            "_css": console.assets.links(for: .platform, extension: ".css"), "_js": console.assets.links(for: .platform, extension: ".js"),
            "_title": console.catalogs.text("signin-title", language: language, owner: .platform) ?? "Vigil",
            "next": ConsoleHTTP.safeNext(next),
        ]
        if let error { context["_flash"] = ["error": true, "text": console.catalogs.text(error, language: language, owner: .platform) ?? error] }
        let html = try console.templates.render("login", context)
        return ConsoleHTTP.html(
            html, status: status,
            cookies: [Cookie(name: SignIn.tokenCookie, value: token, maxAge: 3600, path: "/console/login", httpOnly: true, sameSite: .strict)])
    }
}
