import Foundation
import JSONCoding
import Kernel

/// OpenAPI links from a response that names a record to the operations on that record: the 201 of
/// `POST /cases` (its body has `id`) leads to `GET /cases/{id}`, `PATCH /cases/{id}` (with the
/// ETag as If-Match) and `POST /cases/{id}/notes`. Outside tools follow them to create records
/// and then read, change and act on them, instead of guessing ids; they are derived from the
/// endpoints, so a new route gets its links without anyone writing them.
struct OpenAPILinks {
    struct Operation {
        let operationID: String
        let method: HTTPVerb
        /// Full path: `/api/incident-ops/cases/{id}/notes`.
        let path: String
        let endpoint: Endpoint
    }

    let operations: [Operation]

    /// The links of the responses of `source` with `status`: for each operation whose path is the
    /// record path this response names (`<collection>/{param}` and below, with no other parameter),
    /// the parameter from the response body and, for versioned operations, If-Match from its ETag.
    func links(from source: Operation, status: Int, schema: Schema?) -> [String: JSONValue] {
        guard let schema, let fields = Self.fields(of: schema) else { return [:] }
        let recordPath: String
        if source.method == .post, status == 201 {
            recordPath = source.path  // the collection; the record is one level below
        } else if source.method != .post, let last = source.path.split(separator: "/").last, last.hasPrefix("{") {
            recordPath = String(source.path.dropLast(last.count + 1))  // the record's own path, less its parameter
        } else {
            return [:]
        }
        var links: [String: JSONValue] = [:]
        for target in operations where target.operationID != source.operationID {
            let parameters = target.endpoint.pathParameters
            guard parameters.count == 1, let parameter = parameters.first, fields.contains(parameter) else { continue }
            let record = recordPath + "/{\(parameter)}"
            guard target.path == record || target.path.hasPrefix(record + "/") else { continue }
            var values: [String: JSONValue] = ["path.\(parameter)": .string("$response.body#/\(parameter)")]
            if target.endpoint.versioned { values["header.If-Match"] = .string("$response.header.ETag") }
            links[target.operationID] = .object(["operationId": .string(target.operationID), "parameters": .object(values)])
        }
        return links
    }

    /// The top-level fields of an object response.
    static func fields(of schema: Schema) -> Set<String>? {
        guard case .object(let object) = schema.resolved else { return nil }
        return Set(object.properties.map(\.name))
    }
}
