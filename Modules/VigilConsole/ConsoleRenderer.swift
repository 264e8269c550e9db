import Foundation
import HTTPTypes
import Hummingbird
import JSONCoding
import Kernel
import NIOCore
import VigilIdentity

/// Turns a page's answer into the response: its template inside the layout, with what every
/// page has (`_t` texts, `_csrf`, `_idem`, the menu, the viewer, the flash), a redirect that
/// carries a flash to the next page, or a download.
struct ConsoleRenderer {
    let console: Console
    let viewer: ConsoleViewer
    let domain: DomainID
    let menu: ConsoleMenu
    let currentPath: String

    static let flashCookie = "vigil_flash"

    func respond(_ answer: ConsoleResponse, request: Request) throws -> Response {
        switch answer {
        case .page(let view):
            return try page(view, request: request)
        case .redirect(let location, let flash):
            guard let flash else { return ConsoleHTTP.redirect(location) }
            return ConsoleHTTP.redirect(location, cookies: [ConsoleRenderer.flashCookie(flash)])
        case .download(let contentType, let filename, let body):
            let safeName = filename.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            return Response(
                status: .ok,
                headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(safeName)\"", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(data: body)))
        }
    }

    func page(_ view: ConsoleView, request: Request, flash extra: ConsoleFlash? = nil) throws -> Response {
        let name = domain == .platform ? view.template : "\(domain)/\(view.template)"
        var context: [String: Any] = [:]
        for (key, value) in view.data where !key.hasPrefix("_") { context[key] = ConsoleTemplates.value(value) }
        let texts = console.catalogs.texts(language: viewer.locale.language, owner: domain)
        var title = texts(view.titleKey)
        if let detail = view.titleDetail { title += " · " + detail }
        context["_title"] = title
        context["_t"] = console.catalogs.view(language: viewer.locale.language, owner: domain)
        context["_lang"] = viewer.locale.language
        context["_csrf"] = viewer.csrfToken
        context["_idem"] = Secrets.formKey()
        context["_user"] = ["name": viewer.principal.displayName]
        context["_nav"] = ConsoleTemplates.value(
            .array(menu.view(for: viewer.principal, currentPath: currentPath, catalogs: console.catalogs, language: viewer.locale.language)))
        context["_css"] = console.assets.links(for: domain, extension: ".css")
        context["_js"] = console.assets.links(for: domain, extension: ".js")
        context["_shortcuts"] = viewer.keyboardShortcuts
        context["_path"] = currentPath
        if view.live { context["_live"] = domain.rawValue }
        if let seconds = view.refreshSeconds { context["_refresh"] = String(seconds) }
        // The wall-display mode of any page: large type, the header reduced to the live indicator.
        if request.uri.queryParameters["wall"] == "1" { context["_wall"] = true }
        var cookies: [Cookie] = []
        let flash = extra ?? ConsoleRenderer.flash(in: request)
        if let flash {
            context["_flash"] = ["text": texts(flash.key, flash.values), "error": flash.kind == .error, "success": flash.kind == .success]
            if extra == nil {
                cookies.append(Cookie(name: ConsoleRenderer.flashCookie, value: "", maxAge: 0, path: "/console", httpOnly: true, sameSite: .strict))
            }
        }
        guard console.templates.has(name) else { throw VigilError(.internal, "the console has no template \(name)") }
        let html = try console.templates.render(name, context)
        return ConsoleHTTP.html(html, status: HTTPResponse.Status(code: view.status), cookies: cookies)
    }

    /// An error as a page: its status, a title, and the message (field by field for a form).
    func errorPage(_ error: VigilError, request: Request) throws -> Response {
        var data: [String: JSONValue] = [
            "status": .string(String(error.kind.status)), "message": .string(error.detail),
        ]
        if !error.fields.isEmpty {
            data["fields"] = .array(error.fields.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
            data["hasFields"] = .bool(true)
        }
        let renderer = ConsoleRenderer(console: console, viewer: viewer, domain: .platform, menu: menu, currentPath: currentPath)
        return try renderer.page(ConsoleView("error", title: "error-\(error.kind.status)", data: data, status: error.kind.status), request: request)
    }

    func errorPage(_ refusal: ConsoleRefusal, request: Request) throws -> Response {
        let texts = console.catalogs.texts(language: viewer.locale.language, owner: .platform)
        return try errorPage(VigilError(refusal.kind, texts(refusal.key)), request: request)
    }

    static func flashCookie(_ flash: ConsoleFlash) -> Cookie {
        let data = (try? JSONEncoder().encode(flash)) ?? Data()
        let value = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=", with: "")
        return Cookie(name: flashCookie, value: value, maxAge: 60, path: "/console", httpOnly: true, sameSite: .strict)
    }

    static func flash(in request: Request) -> ConsoleFlash? {
        guard var text = request.cookies[flashCookie]?.value, !text.isEmpty, text.count < 4096 else { return nil }
        text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return try? JSONDecoder().decode(ConsoleFlash.self, from: data)
    }
}

extension Secrets {
    /// A fresh Idempotency-Key for one rendering of a form: sent twice, the form acts once.
    static func formKey() -> String { String(Secrets.make(prefix: "form-").prefix(40)) }
}
