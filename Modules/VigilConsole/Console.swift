import Foundation
import HTTPTypes
import Hummingbird
import JSONCoding
import Kernel
import NIOCore
import VigilServer

/// The console's routes over one runtime: sign-in and out, assets, and each domain's pages,
/// every one behind the same gate (`serve`): signed in, permission, CSRF on a POST.
struct Console: Sendable {
    let runtime: VigilRuntime
    let templates: ConsoleTemplates
    let catalogs: ConsoleCatalogs
    let assets: ConsoleAssets
    let sessions: ConsoleSessions
    let caller: EndpointCaller
    let hub: LiveHub
    let liveHeartbeat: Duration
    /// A form is small; an upload page declares its own limit.
    static let formLimit = 256 * 1024

    struct MountedPage: Sendable {
        let domain: DomainID
        let page: ConsolePage
        /// /console/<domain><path>, `{id}` kept.
        let path: String
    }

    var pages: [MountedPage] {
        runtime.modules.flatMap { module in
            let id = type(of: module).id
            return module.consolePages().map { MountedPage(domain: id, page: $0, path: "/console/\(id)\($0.path)") }
        }
            + (PlatformPages(console: self).all() + UserPages(runtime: runtime).all + AuditPages(runtime: runtime).all
            + SystemPage(runtime: runtime, hub: hub, catalogs: catalogs).all).map { MountedPage(domain: .platform, page: $0, path: "/console\($0.path)") }
    }

    func mount(on router: Router<VigilRequestContext>) {
        let menu = ConsoleMenu(pages: pages)
        router.get("/console") { request, context in
            guard let viewer = try await sessions.viewer(for: request) else { return ConsoleHTTP.redirect("/console/login") }
            return ConsoleHTTP.redirect(menu.home(for: viewer.principal) ?? "/console/preferences")
        }
        router.get("/console/assets/:owner/:hash/:name") { request, _ in
            guard let asset = assets.byPath[request.uri.path] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok,
                headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=31536000, immutable"],
                body: .init(byteBuffer: ByteBuffer(data: asset.body)))
        }
        SignIn(console: self).mount(on: router)
        LiveStream(console: self, hub: hub, heartbeat: liveHeartbeat).mount(on: router)
        for mounted in pages {
            let routerPath = RouterPath(
                mounted.path.split(separator: "/").map { $0.hasPrefix("{") && $0.hasSuffix("}") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(
                    separator: "/"))
            let method: HTTPRequest.Method = mounted.page.method == .get ? .get : .post
            router.on(routerPath, method: method) { request, context in
                try await serve(mounted, request, context, menu: menu)
            }
        }
        // Any other console address: the console's own "not found" page, in the viewer's
        // language (the API's JSON 404 is for programs).
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/console/**", method: method) { request, _ in
                guard let viewer = try await sessions.viewer(for: request) else { return ConsoleHTTP.redirect("/console/login") }
                let renderer = ConsoleRenderer(console: self, viewer: viewer, domain: .platform, menu: menu, currentPath: request.uri.path)
                return try renderer.errorPage(VigilError.notFound("this page"), request: request)
            }
        }
    }

    /// The gate every page passes, then the page, then its answer as HTML; an error becomes a
    /// page with its message and status, never a stack trace.
    func serve(_ mounted: MountedPage, _ request: Request, _ context: VigilRequestContext, menu: ConsoleMenu) async throws -> Response {
        guard let viewer = try await sessions.viewer(for: request) else {
            return ConsoleHTTP.redirect("/console/login?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        let renderer = ConsoleRenderer(console: self, viewer: viewer, domain: mounted.domain, menu: menu, currentPath: request.uri.path)
        do {
            // What needs no body first: another site's POST and a page the person may not use are
            // refused before an upload of many megabytes is read.
            if mounted.page.method == .post { try ConsoleHTTP.checkOrigin(request) }
            if let permission = mounted.page.permission { try viewer.principal.require(permission) }
            var form = FormValues()
            var uploads: [String: ConsoleUpload] = [:]
            if mounted.page.method == .post {
                if let limit = mounted.page.uploadLimit {
                    (form, uploads) = try await ConsoleMultipart.read(request, limit: limit)
                } else {
                    form = try await ConsoleHTTP.form(request, limit: Console.formLimit)
                }
                guard let token = form.single("_csrf"), ConsoleViewer.same(token, viewer.csrfToken) else {
                    throw ConsoleRefusal.expiredForm
                }
            }
            var parameters: [String: String] = [:]
            // The router hands over a segment as sent: decoded here, as the API's path values are.
            for name in mounted.page.pathParameters { parameters[name] = context.parameters.get(name).map { $0.removingPercentEncoding ?? $0 } }
            let invocation = Invocation(principal: viewer.principal, channel: .console, requestID: context.requestID)
            let domainContext = runtime.context(for: mounted.domain)
            let caller = self.caller
            let clientAddress = context.clientAddress
            let endpoints = ConsoleEndpoints(
                call: { operationID, path, query, body, ifMatch, key in
                    try await caller.call(
                        operationID, principal: viewer.principal, path: path, query: query, body: body.map { Data($0.jsonText.utf8) } ?? Data(),
                        ifMatch: ifMatch, idempotencyKey: key, requestID: invocation.requestID, clientAddress: clientAddress)
                }, requestSchemas: caller.requestSchemas)
            let pageRequest = ConsoleRequest(
                invocation: invocation, context: domainContext, pathParameters: parameters,
                query: Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first }),
                form: form, locale: viewer.locale, endpoints: endpoints, text: catalogs.texts(language: viewer.locale.language, owner: mounted.domain),
                uploads: uploads)
            // A live refresh names the change it was told of: figures computed since hold it.
            let told = request.headers[HTTPField.Name("X-Vigil-Live-Seen")!].flatMap { Int64($0) }
                .flatMap { $0 > 0 ? Date(timeIntervalSince1970: Double($0) / 1000) : nil }
            var answer = try await ReadSnapshots.$toldOfChangeAt.withValue(told) { try await mounted.page.handler(pageRequest) }
            if case .page(var view) = answer, view.savedFilters, let user = viewer.principal.userID {
                view.data["savedFilters"] = try await SavedFilters.view(user: user, page: request.uri.path, query: request.uri.query, runtime: runtime)
                answer = .page(view)
            }
            return try renderer.respond(answer, request: request)
        } catch let refusal as ConsoleRefusal {
            return try renderer.errorPage(refusal, request: request)
        } catch let error as VigilError {
            return try renderer.errorPage(error, request: request)
        } catch let error as HTTPError where error.status == .notFound {
            return try renderer.errorPage(VigilError.notFound("this page"), request: request)
        } catch {
            runtime.logger.error("console page \(mounted.path) failed: \(error)", metadata: ["request_id": .string(context.requestID)])
            return try renderer.errorPage(VigilError(.internal, "something went wrong on the server (request \(context.requestID))"), request: request)
        }
    }
}
