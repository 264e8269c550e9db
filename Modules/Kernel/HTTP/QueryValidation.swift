import Foundation
import JSONCoding

/// Query strings are checked against the endpoint's declared parameters: an unknown name (a typo
/// like `severty`) or a bad value is a clear 4xx, not a silently ignored filter.
public enum QueryValidation {
    public static func validate(_ pairs: [(String, String)], against declared: [QueryParameter]) throws(VigilError) -> [String: String] {
        var values: [String: String] = [:]
        var issues: [FieldIssue] = []
        for (name, value) in pairs {
            guard let parameter = declared.first(where: { $0.name == name }) else {
                let known = declared.map(\.name).sorted()
                issues.append(
                    FieldIssue(
                        name, .unknownField,
                        known.isEmpty ? "this route takes no query parameters" : "is not a parameter of this route; it takes \(known.joined(separator: ", "))"))
                continue
            }
            if values[name] != nil {
                issues.append(FieldIssue(name, .invalid, "is given more than once"))
                continue
            }
            values[name] = value
            issues += parameter.schema.validate(typed(value, for: parameter.schema), at: name)
        }
        if !issues.isEmpty { throw VigilError(.badRequest, "the query is invalid", fields: issues) }
        return values
    }

    /// Query values arrive as text; integers and booleans are read as what the schema expects.
    private static func typed(_ value: String, for schema: Schema) -> JSONValue {
        switch schema.resolved {
        case .integer: Int64(value).map(JSONValue.integer) ?? .string(value)
        case .boolean: value == "true" ? .bool(true) : value == "false" ? .bool(false) : .string(value)
        case .number: Double(value).flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .string(value)
        case .nullable(let inner): typed(value, for: inner)
        default: .string(value)
        }
    }
}
