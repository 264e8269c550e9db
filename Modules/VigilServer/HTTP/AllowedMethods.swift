import Hummingbird
import HTTPTypes
import Kernel

/// Which methods each route takes, so that a known path asked with another method answers 405
/// with an `Allow` header (RFC 9110 §15.5.6) instead of the router's 404, which would say the
/// resource does not exist.
struct AllowedMethods: Sendable {
    private struct Route: Sendable {
        /// Literal segments, or nil for a `{parameter}`.
        let segments: [String?]
        var methods: Set<String>
    }

    private var routes: [Route] = []

    mutating func add(_ method: String, _ path: String) {
        let segments = path.split(separator: "/").map { $0.hasPrefix("{") && $0.hasSuffix("}") ? nil : String($0) }
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].methods.insert(method)
        } else {
            routes.append(Route(segments: segments, methods: [method]))
        }
    }

    /// The methods of the route `path` matches, nil when it matches none. As the router does, a
    /// literal segment wins over a parameter: `/cases/count` is that route, not `/cases/{id}`.
    func methods(for path: String) -> Set<String>? {
        let parts = path.split(separator: "/")
        var best: Route?
        for route in routes where route.segments.count == parts.count {
            guard zip(route.segments, parts).allSatisfy({ literal, part in literal.map { $0 == part } ?? true }) else { continue }
            if let current = best, !Self.isMoreSpecific(route, than: current) { continue }
            best = route
        }
        return best?.methods
    }

    /// The first segment where two routes differ decides: a literal beats a parameter.
    private static func isMoreSpecific(_ route: Route, than other: Route) -> Bool {
        for (mine, theirs) in zip(route.segments, other.segments) where (mine == nil) != (theirs == nil) {
            return mine != nil
        }
        return false
    }
}

/// Turns the router's "no route" into 405 + Allow when the path exists under other methods.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = allowed.methods(for: request.uri.path), !methods.contains(request.method.rawValue) else { throw error }
            let allow = methods.sorted().joined(separator: ", ")
            var problem = Problem.response(
                VigilError(.methodNotAllowed, "\(request.uri.path) takes \(allow), not \(request.method.rawValue)"), request: request, context: context)
            problem.headers[.allow] = allow
            return problem
        }
    }
}
