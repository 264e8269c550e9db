import Foundation

public enum HTTPVerb: String, Sendable, CaseIterable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
}

/// An HTTP route as a domain declares it. The host mounts it under /api/<domain>, authenticates,
/// checks `permission`, validates the body against `requestBody`, and documents it in
/// /openapi.json from this same value, so the document cannot drift from the routes.
public struct Endpoint: Sendable {
    public let method: HTTPVerb
    /// Relative to /api/<domain>; `{name}` marks a path parameter: `/cases/{id}`.
    public let path: String
    public let operationID: String
    public let summary: String
    /// nil: any signed-in principal may call it (the handler still checks records).
    public let permission: Permission?
    public let query: [QueryParameter]
    public let requestBody: Schema?
    public let responses: [ResponseDoc]
    /// Honours `Idempotency-Key` (creating endpoints).
    public let idempotent: Bool
    /// Requires `If-Match` with the row version (updating endpoints).
    public let versioned: Bool
    /// Callable without signing in (the sign-in endpoint itself).
    public let anonymous: Bool
    public let handler: @Sendable (EndpointRequest) async throws -> EndpointResponse
    /// The body's media type: JSON, or text/csv for imports.
    public private(set) var bodyMediaType = "application/json"
    /// A larger body limit than the server's default (imports), if any.
    public private(set) var bodyLimit: Int?

    public init(
        _ method: HTTPVerb,
        _ path: String,
        operationID: String,
        summary: String,
        permission: Permission?,
        query: [QueryParameter] = [],
        requestBody: Schema? = nil,
        responses: [ResponseDoc],
        idempotent: Bool = false,
        versioned: Bool = false,
        anonymous: Bool = false,
        handler: @escaping @Sendable (EndpointRequest) async throws -> EndpointResponse
    ) {
        self.method = method
        self.path = path
        self.operationID = operationID
        self.summary = summary
        self.permission = permission
        self.query = query
        self.requestBody = requestBody
        self.responses = responses
        self.idempotent = idempotent
        self.versioned = versioned
        self.anonymous = anonymous
        self.handler = handler
    }

    /// The same endpoint taking another body type, optionally up to a larger size.
    public func accepting(_ mediaType: String, upTo limit: Int? = nil) -> Endpoint {
        var copy = self
        copy.bodyMediaType = mediaType
        copy.bodyLimit = limit
        return copy
    }

    /// The names of `{…}` segments of the path, in order.
    public var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }
}

public struct QueryParameter: Sendable {
    public let name: String
    public let schema: Schema
    public let summary: String

    public init(_ name: String, _ schema: Schema, _ summary: String) {
        self.name = name
        self.schema = schema
        self.summary = summary
    }

    public static let pagingLimit = QueryParameter(
        "limit", .integer(minimum: 1, maximum: Int64(PageRequest.maximumLimit)), "Items per page (default \(PageRequest.defaultLimit))")
    public static let pagingCursor = QueryParameter("cursor", .string(maxLength: 512), "The nextCursor of the previous page")
}

extension ResponseDoc {
    /// The other forms of a report (`format=csv|html`), beside its JSON.
    public static let reportDocuments = [
        ResponseDoc(200, "The report as CSV", .string(.init()), mediaType: "text/csv"),
        ResponseDoc(200, "The report as HTML with SVG charts", .string(.init()), mediaType: "text/html"),
    ]
}

/// One documented answer of an endpoint; several with the same status and other media types
/// describe the forms one answer can take.
public struct ResponseDoc: Sendable {
    public let status: Int
    public let summary: String
    public let schema: Schema?
    public let mediaType: String

    public init(_ status: Int, _ summary: String, _ schema: Schema? = nil, mediaType: String = "application/json") {
        self.status = status
        self.summary = summary
        self.schema = schema
        self.mediaType = mediaType
    }
}
