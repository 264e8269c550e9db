import Hummingbird
import HTTPTypes

/// Headers every answer carries, the console's pages above all: a strict Content-Security-Policy
/// (scripts, styles, images and connections from this origin only; no inline script or style, no
/// plugin, no framing, forms post only here), no MIME sniffing, no referrer to other sites.
/// The console serves its scripts and styles as files so that nothing inline is ever needed.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        return response
    }
}
