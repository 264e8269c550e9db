import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Takes the caller's X-Request-ID when it is sane (so a trace crosses systems), or makes one;
/// echoes it on the response.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    static let header = HTTPField.Name("X-Request-ID")!
    let ids: any IDGenerator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[RequestIDMiddleware.header], (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            context.requestID = given
        } else {
            context.requestID = ids.next().lowercased
        }
        context.logger[metadataKey: "request"] = "\(context.requestID)"
        var response = try await next(request, context)
        response.headers[RequestIDMiddleware.header] = context.requestID
        return response
    }
}
