import Foundation
import Kernel

/// One call of a declared endpoint, whoever makes it: the HTTP mounter for the API, the console
/// for its pages. Everything that makes the API safe happens here, once, for both: the
/// permission, the query's declared parameters, If-Match on versioned endpoints, and
/// Idempotency-Key around the handler.
struct EndpointCall: Sendable {
    var principal: Principal
    var pathParameters: [String: String]
    var query: [(String, String)]
    var body: Data
    var ifMatch: Int?
    var idempotencyKey: String?
    var requestID: String
    var reason: String?
    var clientAddress: String?
    /// The request's path with its parameters filled in (part of the idempotency fingerprint).
    var path: String
    var channel: Invocation.Channel = .http
}

struct EndpointInvoker: Sendable {
    let runtime: VigilRuntime

    func invoke(_ endpoint: Endpoint, route: String, domainContext: DomainContext, _ call: EndpointCall) async throws -> EndpointResponse {
        if let permission = endpoint.permission { try call.principal.require(permission) }
        let query = try QueryValidation.validate(call.query, against: endpoint.query)
        if endpoint.versioned && call.ifMatch == nil {
            throw VigilError(
                .preconditionRequired, "send the version you read in If-Match (the ETag of the record), so that a concurrent change is not overwritten")
        }
        let invocation = Invocation(principal: call.principal, channel: call.channel, requestID: call.requestID, reason: call.reason)
        let header = endpoint.idempotent ? call.idempotencyKey : nil
        var input = EndpointRequest(
            invocation: invocation, context: domainContext, pathParameters: call.pathParameters, query: query, body: call.body, ifMatch: call.ifMatch,
            idempotencyKey: header, route: route
        )
        input.clientAddress = call.clientAddress
        let request = input
        guard let header else { return try await endpoint.handler(request) }
        let key = try IdempotentRequests.key(header, principal: call.principal, route: route, path: call.path, body: call.body)
        return try await IdempotentRequests(runtime: runtime).run(key, invocation: invocation, path: call.path) { try await endpoint.handler(request) }
    }
}
