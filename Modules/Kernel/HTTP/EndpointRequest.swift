import Foundation
import JSONCoding

/// A request as a domain handler sees it: already authenticated, its query checked against the
/// declared parameters; the body is validated when the handler decodes it.
public struct EndpointRequest: Sendable {
    public let invocation: Invocation
    public let context: DomainContext
    public let pathParameters: [String: String]
    public let query: [String: String]
    public let body: Data
    /// The row version from `If-Match`, for versioned endpoints.
    public let ifMatch: Int?
    public let idempotencyKey: String?
    /// `POST /api/incident-ops/cases`, the route template.
    public let route: String
    /// The client's IP address as the server saw it (sign-in throttling).
    public var clientAddress: String?

    public init(
        invocation: Invocation, context: DomainContext, pathParameters: [String: String], query: [String: String], body: Data, ifMatch: Int?,
        idempotencyKey: String?, route: String
    ) {
        self.invocation = invocation
        self.context = context
        self.pathParameters = pathParameters
        self.query = query
        self.body = body
        self.ifMatch = ifMatch
        self.idempotencyKey = idempotencyKey
        self.route = route
    }

    public var principal: Principal { invocation.principal }

    public func path(_ name: String) -> String { pathParameters[name] ?? "" }

    /// The body as `T`, after checking it against `schema`: malformed JSON is a 400, wrong types,
    /// missing or unknown fields are a 422 naming each field.
    public func decode<T: Decodable>(_ type: T.Type, schema: Schema) throws(VigilError) -> T {
        try RequestBody.decode(type, from: body, schema: schema)
    }

    public func requireVersion() throws(VigilError) -> Int {
        guard let ifMatch else {
            throw VigilError(
                .preconditionRequired, "send the version you read in If-Match (the ETag of the record), so that a concurrent change is not overwritten")
        }
        return ifMatch
    }
}

/// Body decoding shared by HTTP handlers and anything else that takes JSON input.
public enum RequestBody {
    public static func decode<T: Decodable>(_ type: T.Type, from body: Data, schema: Schema) throws(VigilError) -> T {
        guard !body.isEmpty else { throw VigilError(.malformedBody, "this request needs a JSON body") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw VigilError(.malformedBody, "the body is not valid JSON: \(error)")
        }
        let issues = schema.validate(value)
        if !issues.isEmpty { throw VigilError.invalid(issues) }
        do {
            // From the value the Schema checked, not from the bytes again: one reader, one set of rules.
            return try JSONValueDecoder.decode(T.self, from: value)
        } catch {
            throw VigilError(.validation, "the body does not fit this request: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: String(describing: error)
        }
    }
}
