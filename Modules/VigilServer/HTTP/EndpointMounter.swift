import Foundation
import Hummingbird
import HTTPTypes
import Kernel
import NIOCore
import VigilIdentity

/// Mounts declared endpoints on the router: authentication, permission, query and body checks,
/// then the handler, then the response with its ETag and Location.
struct EndpointMounter {
    let runtime: VigilRuntime
    let maxBodyBytes: Int

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let reason = HTTPField.Name("X-Vigil-Reason")!

    func mount(_ endpoint: Endpoint, prefix: String, domain: DomainID, on router: Router<VigilRequestContext>) {
        let routePath = prefix + endpoint.path
        let hummingbirdPath = RouterPath(
            routePath.split(separator: "/").map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
            }.joined(separator: "/"))
        let route = "\(endpoint.method.rawValue) \(routePath)"
        let context = runtime.context(for: domain)
        router.on(hummingbirdPath, method: HTTPRequest.Method(rawValue: endpoint.method.rawValue)!) { request, requestContext in
            try await self.serve(request, requestContext, endpoint: endpoint, route: route, domainContext: context)
        }
    }

    private func serve(_ request: Request, _ requestContext: VigilRequestContext, endpoint: Endpoint, route: String, domainContext: DomainContext) async throws
        -> Response
    {
        let principal = endpoint.anonymous ? Principal.anonymous : try await BearerCredentials.principal(for: request, authenticator: runtime.authenticator)
        // The permission is checked before the body is read: an unauthorized caller's body is never collected.
        if let permission = endpoint.permission { try principal.require(permission) }
        var body = Data()
        if endpoint.requestBody != nil {
            if let type = request.headers[.contentType], !type.lowercased().hasPrefix(endpoint.bodyMediaType) {
                throw VigilError(.unsupportedMediaType, "send the body as \(endpoint.bodyMediaType)")
            }
            let limit = endpoint.bodyLimit ?? maxBodyBytes
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw VigilError(.payloadTooLarge, "the body has \(length) bytes; this server accepts at most \(limit)")
            }
            do {
                body = Data(try await request.body.collect(upTo: limit).readableBytesView)
            } catch is NIOTooManyBytesError {
                throw VigilError(.payloadTooLarge, "the body is larger than the \(limit) bytes this server accepts")
            }
        }
        var ifMatch: Int?
        if let header = request.headers[.ifMatch] {
            guard let version = EndpointResponse.parseVersion(ifMatch: header) else {
                throw VigilError(.badRequest, "If-Match must carry the version from the record's ETag, like \"3\"")
            }
            ifMatch = version
        }
        var pathParameters: [String: String] = [:]
        for name in endpoint.pathParameters {
            pathParameters[name] = requestContext.parameters.get(name)
        }
        let call = EndpointCall(
            principal: principal, pathParameters: pathParameters, query: request.uri.queryParameters.map { (String($0.key), String($0.value)) }, body: body,
            ifMatch: ifMatch, idempotencyKey: request.headers[EndpointMounter.idempotencyKey], requestID: requestContext.requestID,
            reason: request.headers[EndpointMounter.reason].map { String($0.prefix(500)) }, clientAddress: requestContext.clientAddress,
            path: request.uri.path)
        let output = try await EndpointInvoker(runtime: runtime).invoke(endpoint, route: route, domainContext: domainContext, call)
        return EndpointMounter.response(output)
    }

    static func response(_ output: EndpointResponse) -> Response {
        var headers: HTTPFields = [:]
        if !output.contentType.isEmpty { headers[.contentType] = output.contentType }
        if let etag = output.etag { headers[.eTag] = etag }
        if let location = output.location { headers[.location] = location }
        if output.replayed { headers[EndpointMounter.replayed] = "true" }
        headers[.cacheControl] = "no-store"
        for (name, value) in output.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if let stream = output.stream {
            return Response(
                status: .init(code: output.status), headers: headers,
                body: ResponseBody { writer in
                    let source = stream()
                    while let chunk = try await source.next() { try await writer.write(ByteBuffer(bytes: chunk)) }
                    try await writer.finish(nil)
                })
        }
        return Response(status: .init(code: output.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: output.body)))
    }
}
