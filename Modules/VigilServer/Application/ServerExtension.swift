import Foundation
import Hummingbird
import Kernel
import ServiceLifecycle

/// A part of the server built beside the API over the same runtime and router (the web console):
/// its routes, and the background services it needs. The host chooses which to run, so the
/// API server does not depend on them.
public protocol ServerExtension: Sendable {
    func mount(on router: Router<VigilRequestContext>, runtime: VigilRuntime)
    func services(runtime: VigilRuntime) -> [any Service]
}

extension ServerExtension {
    public func services(runtime: VigilRuntime) -> [any Service] { [] }
}

extension VigilServer {
    /// An endpoint of the platform or a domain called in process, as the API would call it
    /// (permission, query, If-Match, Idempotency-Key); `nil` when no endpoint has that operation id.
    public static func endpointCaller(_ runtime: VigilRuntime) -> EndpointCaller { EndpointCaller(runtime: runtime) }
}

/// The endpoints of the build by operation id, callable without HTTP.
public struct EndpointCaller: Sendable {
    let runtime: VigilRuntime
    let endpoints: [String: (endpoint: Endpoint, prefix: String, domain: DomainID)]

    init(runtime: VigilRuntime) {
        self.runtime = runtime
        var found: [String: (Endpoint, String, DomainID)] = [:]
        for group in VigilServer.mountedGroups(runtime) {
            let domain = group.tag == "platform" ? DomainID.platform : DomainID(group.tag)
            for endpoint in group.endpoints { found[endpoint.operationID] = (endpoint, group.prefix, domain) }
        }
        self.endpoints = found
    }

    public func requestSchema(_ operationID: String) -> Schema? { endpoints[operationID]?.endpoint.requestBody }

    /// Every endpoint's request body schema by operation id.
    public var requestSchemas: [String: Schema] { endpoints.compactMapValues { $0.endpoint.requestBody } }

    public func has(_ operationID: String) -> Bool { endpoints[operationID] != nil }

    public func call(
        _ operationID: String, principal: Principal, path: [String: String], query: [String: String], body: Data, ifMatch: Int?, idempotencyKey: String?,
        requestID: String, clientAddress: String?
    ) async throws -> EndpointResponse {
        guard let (endpoint, prefix, domain) = endpoints[operationID] else {
            throw VigilError(.notFound, "no endpoint \(operationID) in this build")
        }
        let template = prefix + endpoint.path
        let filled = template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? path[String(segment.dropFirst().dropLast())] ?? "" : String(segment)
        }.joined(separator: "/")
        let call = EndpointCall(
            principal: principal, pathParameters: path, query: query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, body: body, ifMatch: ifMatch,
            idempotencyKey: idempotencyKey, requestID: requestID, reason: nil, clientAddress: clientAddress, path: filled, channel: .console)
        return try await EndpointInvoker(runtime: runtime).invoke(
            endpoint, route: "\(endpoint.method.rawValue) \(template)", domainContext: runtime.context(for: domain), call)
    }
}
