import Foundation
import JSONCoding
import Kernel

/// Builds the OpenAPI 3.1 document from the same endpoint values the router mounts, plus the
/// platform's fixed routes, so every route is documented by construction.
public struct OpenAPIDocument {
    public struct MountedGroup: Sendable {
        public let prefix: String
        public let tag: String
        public let tagDescription: String
        public let endpoints: [Endpoint]
    }

    /// Routes outside /api (health, metrics, this document), described by hand.
    public struct FixedRoute: Sendable {
        public let method: HTTPVerb
        public let path: String
        public let operationID: String
        public let summary: String
        public let contentType: String
    }

    let groups: [MountedGroup]
    let fixed: [FixedRoute]
    let version: String
    private var components: [String: JSONValue] = [:]

    public init(groups: [MountedGroup], fixed: [FixedRoute], version: String) {
        self.groups = groups
        self.fixed = fixed
        self.version = version
    }

    public mutating func build() -> JSONValue {
        components = [:]
        var paths: [String: [String: JSONValue]] = [:]
        let linkable = OpenAPILinks(
            operations: groups.flatMap { group in
                group.endpoints.map {
                    OpenAPILinks.Operation(
                        operationID: Self.operationID(group.tag, $0.operationID), method: $0.method, path: group.prefix + $0.path, endpoint: $0)
                }
            })
        for group in groups {
            for endpoint in group.endpoints {
                paths[group.prefix + endpoint.path, default: [:]][endpoint.method.rawValue.lowercased()] = operation(endpoint, group: group, links: linkable)
            }
        }
        for route in fixed {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = .object([
                "operationId": .string(route.operationID), "summary": .string(route.summary), "tags": .array([.string("platform")]),
                "security": .array([]),
                "responses": .object([
                    "200": .object(["description": .string("OK"), "content": .object([route.contentType: .object(["schema": .object([:])])])])
                ]),
            ])
        }
        components["Problem"] = problemSchema
        let tags =
            [JSONValue.object(["name": .string("platform"), "description": .string("Sign-in, identity, audit, health")])]
            + groups.filter { $0.tag != "platform" }.map { .object(["name": .string($0.tag), "description": .string($0.tagDescription)]) }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Vigil API"), "version": .string(version),
                "description": .string(
                    "Operations platform of the safety and operations teams. Errors are RFC 9457 problem+json; lists use cursor paging; updates need If-Match; creates honour Idempotency-Key."
                ),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "tags": .array(tags),
            "security": .array([.object(["bearer": .array([])]), .object(["session": .array([])])]),
            "paths": .object(paths.mapValues { JSONValue.object($0) }),
            "components": .object([
                "schemas": .object(components),
                "securitySchemes": .object([
                    "bearer": .object(["type": .string("http"), "scheme": .string("bearer"), "description": .string("API token from `vigil token create`")]),
                    "session": .object(["type": .string("apiKey"), "in": .string("cookie"), "name": .string("vigil_session")]),
                ]),
            ]),
        ])
    }

    private mutating func operation(_ endpoint: Endpoint, group: MountedGroup, links: OpenAPILinks) -> JSONValue {
        let source = OpenAPILinks.Operation(
            operationID: Self.operationID(group.tag, endpoint.operationID), method: endpoint.method, path: group.prefix + endpoint.path, endpoint: endpoint)
        var parameters: [JSONValue] = endpoint.pathParameters.map { name in
            .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": .object(["type": .string("string")])])
        }
        for query in endpoint.query {
            parameters.append(
                .object([
                    "name": .string(query.name), "in": .string("query"), "required": .bool(false),
                    "description": .string(query.summary), "schema": render(query.schema, request: true),
                ]))
        }
        if endpoint.idempotent {
            parameters.append(
                .object([
                    "name": .string("Idempotency-Key"), "in": .string("header"), "required": .bool(false),
                    "description": .string("Retries with the same key return the first result and create nothing new"),
                    "schema": .object(["type": .string("string"), "maxLength": .integer(200)]),
                ]))
        }
        if endpoint.versioned {
            parameters.append(
                .object([
                    "name": .string("If-Match"), "in": .string("header"), "required": .bool(true),
                    "description": .string("The ETag (row version) you read; a stale one gets 412"),
                    "schema": .object(["type": .string("string")]),
                ]))
        }
        var responses: [String: JSONValue] = [:]
        for response in endpoint.responses {
            var entry: [String: JSONValue] = ["description": .string(response.summary)]
            if case .object(let earlier)? = responses[String(response.status)] { entry = earlier }
            if let schema = response.schema {
                var content: [String: JSONValue] = [:]
                if case .object(let known)? = entry["content"] { content = known }
                content[response.mediaType] = .object(["schema": render(schema)])
                entry["content"] = .object(content)
                let found = links.links(from: source, status: response.status, schema: schema)
                if !found.isEmpty, entry["links"] == nil { entry["links"] = .object(found) }
            } else if response.status >= 400 {
                entry["content"] = Self.problemContent
            }
            responses[String(response.status)] = .object(entry)
        }
        // Every status the host or a handler can answer with, so that a client (and the checks
        // in CI) never meets an undocumented one.
        var problems: [(Int, String)] = [
            (400, "Malformed request, query or header"), (422, "Invalid fields, or a result out of range"), (500, "Internal error"),
        ]
        if !endpoint.anonymous {
            problems += [(401, "Not signed in"), (403, "Missing permission or region"), (404, "No such record, or not visible to you")]
        }
        if endpoint.method != .get { problems.append((409, "Conflict with the records' state, or the same Idempotency-Key still in progress")) }
        if endpoint.requestBody != nil { problems += [(413, "Body too large"), (415, "Body is not \(endpoint.bodyMediaType)")] }
        if endpoint.versioned { problems += [(412, "Stale version"), (428, "If-Match missing")] }
        for (status, summary) in problems where responses[String(status)] == nil {
            responses[String(status)] = .object(["description": .string(summary), "content": Self.problemContent])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(Self.operationID(group.tag, endpoint.operationID)),
            "summary": .string(endpoint.summary),
            "tags": .array([.string(group.tag)]),
            "responses": .object(responses),
        ]
        if let permission = endpoint.permission {
            operation["description"] = .string("Requires the permission `\(permission)`.")
        }
        if endpoint.anonymous { operation["security"] = .array([]) }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = endpoint.requestBody {
            operation["requestBody"] = .object([
                "required": .bool(true), "content": .object([endpoint.bodyMediaType: .object(["schema": render(body, request: true)])]),
            ])
        }
        return .object(operation)
    }

    static let problemContent: JSONValue = .object([
        "application/problem+json": .object(["schema": .object(["$ref": .string("#/components/schemas/Problem")])])
    ])

    static func operationID(_ tag: String, _ id: String) -> String {
        let camel = tag.split(separator: "-").enumerated().map { $0 == 0 ? String($1) : $1.prefix(1).uppercased() + $1.dropFirst() }.joined()
        return camel + id.prefix(1).uppercased() + id.dropFirst()
    }

    /// `request`: the schema describes what a client sends, where dates carry the input range.
    private mutating func render(_ schema: Schema, request: Bool = false) -> JSONValue {
        switch schema {
        case .named(let name, let inner):
            if components[name] == nil {
                components[name] = .object([:])  // reserve the name first: named schemas may nest
                components[name] = render(inner, request: request)
            }
            return .object(["$ref": .string("#/components/schemas/\(name)")])
        case .nullable(let inner):
            return .object(["anyOf": .array([render(inner, request: request), .object(["type": .string("null")])])])
        case .boolean:
            return .object(["type": .string("boolean")])
        case .number:
            return .object(["type": .string("number")])
        case .integer(let minimum, let maximum):
            var object: [String: JSONValue] = ["type": .string("integer"), "format": .string("int64")]
            if let minimum { object["minimum"] = .integer(minimum) }
            if let maximum { object["maximum"] = .integer(maximum) }
            return .object(object)
        case .string(let rules):
            var object: [String: JSONValue] = ["type": .string("string")]
            if let minLength = rules.minLength { object["minLength"] = .integer(Int64(minLength)) }
            if let maxLength = rules.maxLength { object["maxLength"] = .integer(Int64(maxLength)) }
            if let format = rules.format { object["format"] = .string(format) }
            if let allowed = rules.allowed { object["enum"] = .array(allowed.map(JSONValue.string)) }
            if let description = rules.description { object["description"] = .string(description) }
            if let pattern = rules.pattern { object["pattern"] = .string(pattern.regex) }
            if request, rules.format == "date", rules.pattern == nil { object["pattern"] = .string(TextPattern.inputDate.regex) }
            return .object(object)
        case .array(let element, let maxItems):
            var object: [String: JSONValue] = ["type": .string("array"), "items": render(element, request: request)]
            if let maxItems { object["maxItems"] = .integer(Int64(maxItems)) }
            return .object(object)
        case .freeObject:
            return .object(["type": .string("object")])
        case .object(let object):
            var properties: [String: JSONValue] = [:]
            for property in object.properties {
                var rendered = render(property.schema, request: request)
                if let description = property.description, case .object(var members) = rendered, members["$ref"] == nil {
                    members["description"] = .string(description)
                    rendered = .object(members)
                }
                properties[property.name] = rendered
            }
            var result: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false)]
            let required = object.properties.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { result["required"] = .array(required) }
            return .object(result)
        }
    }

    private var problemSchema: JSONValue {
        .object([
            "type": .string("object"),
            "description": .string("RFC 9457 problem details"),
            "required": .array(["type", "title", "status", "detail"].map(JSONValue.string)),
            "properties": .object([
                "type": .object(["type": .string("string"), "format": .string("uri")]),
                "title": .object(["type": .string("string")]),
                "status": .object(["type": .string("integer")]),
                "detail": .object(["type": .string("string")]),
                "instance": .object(["type": .string("string")]),
                "requestId": .object(["type": .string("string")]),
                "errors": .object([
                    "type": .string("array"),
                    "items": .object([
                        "type": .string("object"),
                        "required": .array(["field", "code", "message"].map(JSONValue.string)),
                        "properties": .object([
                            "field": .object(["type": .string("string")]),
                            "code": .object(["type": .string("string")]),
                            "message": .object(["type": .string("string")]),
                        ]),
                    ]),
                ]),
            ]),
        ])
    }
}
