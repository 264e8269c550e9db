import Foundation

/// A record that answers with its row version, sent as the ETag a client returns in If-Match.
public protocol Versioned {
    var version: Int { get }
}

/// The four endpoints most entities have, declared by their types: the body's schema and the
/// answer's are derived from the Codable types (`Schema.of`), the body is decoded and handed over
/// checked, paging, `Idempotency-Key` and `If-Match` are documented and taken care of, and a
/// `Versioned` answer carries its ETag. The handler is the domain's call and nothing else.
/// An endpoint with more to say (a hand-written schema with lengths, another status, CSV) uses
/// `Endpoint.init`, which these build on.
extension Endpoint {
    /// `GET` a page of `Item`: `limit` and `cursor` are added to `query` and parsed.
    public static func list<Item: Codable & Sendable>(
        _ path: String, operationID: String, summary: String, permission: Permission?, query: [QueryParameter] = [], of item: Item.Type,
        handler: @escaping @Sendable (EndpointRequest, PageRequest) async throws -> Page<Item>
    ) -> Endpoint {
        Endpoint(
            .get, path, operationID: operationID, summary: summary, permission: permission, query: query + [.pagingLimit, .pagingCursor],
            responses: [ResponseDoc(200, "A page of \(Item.self)", .page(SchemaProbe.componentName(Item.self) + "Page", of: .of(Item.self)))]
        ) { request in
            try .json(try await handler(request, try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])))
        }
    }

    /// `GET` one `Result`.
    public static func read<Result: Codable & Sendable>(
        _ path: String, operationID: String, summary: String, permission: Permission?, query: [QueryParameter] = [], returns: Result.Type,
        handler: @escaping @Sendable (EndpointRequest) async throws -> Result
    ) -> Endpoint {
        Endpoint(
            .get, path, operationID: operationID, summary: summary, permission: permission, query: query,
            responses: [ResponseDoc(200, "The \(Result.self)", .of(Result.self))]
        ) { request in
            let result = try await handler(request)
            return try .json(result, version: (result as? any Versioned)?.version)
        }
    }

    /// `POST` a `Body` that creates a `Result`: 201, and a repeated `Idempotency-Key` replays.
    public static func create<Body: Decodable & Sendable, Result: Codable & Sendable>(
        _ path: String, operationID: String, summary: String, permission: Permission?, body: Body.Type, returns: Result.Type,
        handler: @escaping @Sendable (EndpointRequest, Body) async throws -> Result
    ) -> Endpoint {
        let schema = Schema.of(Body.self)
        return Endpoint(
            .post, path, operationID: operationID, summary: summary, permission: permission, requestBody: schema,
            responses: [ResponseDoc(201, "The \(Result.self) created", .of(Result.self))], idempotent: true
        ) { request in
            let result = try await handler(request, try request.decode(Body.self, schema: schema))
            return try .json(result, status: 201, version: (result as? any Versioned)?.version)
        }
    }

    /// `PATCH` a `Body` of changes at the version in `If-Match` (handed to the handler).
    public static func update<Body: Decodable & Sendable, Result: Codable & Sendable>(
        _ path: String, operationID: String, summary: String, permission: Permission?, body: Body.Type, returns: Result.Type,
        handler: @escaping @Sendable (EndpointRequest, Body, _ version: Int) async throws -> Result
    ) -> Endpoint {
        let schema = Schema.of(Body.self)
        return Endpoint(
            .patch, path, operationID: operationID, summary: summary, permission: permission, requestBody: schema,
            responses: [ResponseDoc(200, "The \(Result.self) changed", .of(Result.self))], versioned: true
        ) { request in
            let result = try await handler(request, try request.decode(Body.self, schema: schema), try request.requireVersion())
            return try .json(result, version: (result as? any Versioned)?.version)
        }
    }
}
