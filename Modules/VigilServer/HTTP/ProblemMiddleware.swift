import Foundation
import Hummingbird
import JSONCoding
import Kernel
import NIOCore

/// Every failure leaves as RFC 9457 problem+json: Vigil's own errors with their field detail,
/// the router's (no route, body too large) mapped to the same shape, and anything unexpected as
/// a 500 that names only the request id (the detail goes to the log, not to the caller).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as VigilError {
            if error.kind == .internal {
                context.logger.error("internal error", metadata: ["error": "\(error.detail)"])
                return Problem.response(
                    VigilError(.internal, "something went wrong on our side; quote request id \(context.requestID)"), request: request, context: context)
            }
            return Problem.response(error, request: request, context: context)
        } catch is NIOTooManyBytesError {
            return Problem.response(VigilError(.payloadTooLarge, "the request body is larger than this server accepts"), request: request, context: context)
        } catch let error as HTTPError {
            return Problem.response(Problem.translate(error), request: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem.response(
                VigilError(.internal, "something went wrong on our side; quote request id \(context.requestID)"), request: request, context: context)
        }
    }
}

enum Problem {
    static let contentType = "application/problem+json"

    static func translate(_ error: HTTPError) -> VigilError {
        switch error.status.code {
        case 404: VigilError(.notFound, "there is no such route; the API is described at /openapi.json")
        case 405: VigilError(.methodNotAllowed, "this route does not take that method")
        case 413: VigilError(.payloadTooLarge, "the request body is larger than this server accepts")
        case 400: VigilError(.badRequest, error.body ?? "the request is malformed")
        case 401: VigilError(.unauthorized, error.body ?? "sign in or send a bearer token")
        case 403: VigilError(.forbidden, error.body ?? "forbidden")
        case 503: VigilError(.unavailable, error.body ?? "the service is unavailable")
        default: VigilError(.badRequest, error.body ?? "the request cannot be served (\(error.status.code))")
        }
    }

    struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String
        let requestId: String
        let errors: [FieldIssue]?
    }

    static func body(_ error: VigilError, path: String, requestID: String) -> Data {
        let document = Document(
            type: error.typeURI, title: error.kind.title, status: error.kind.status, detail: error.detail,
            instance: path, requestId: requestID, errors: error.fields.isEmpty ? nil : error.fields)
        return (try? VigilJSON.encoder.encode(document)) ?? Data("{}".utf8)
    }

    static func response(_ error: VigilError, request: Request, context: VigilRequestContext) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if error.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"vigil\"" }
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        return Response(
            status: .init(code: error.kind.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: body(error, path: request.uri.path, requestID: context.requestID)))
        )
    }
}
