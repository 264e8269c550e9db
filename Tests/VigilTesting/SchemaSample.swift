import Foundation
import JSONCoding
import Kernel

/// Bodies a request Schema accepts, made from the Schema alone: the least it takes (required
/// members only) and the most (every member). Sent to the server, they show where a Codable
/// request type and its Schema disagree.
public enum SchemaSample {
    public enum Extent: String, Sendable, CaseIterable { case least, most }

    public static func value(_ schema: Schema, _ extent: Extent) -> JSONValue {
        switch schema {
        case .named(_, let inner): return value(inner, extent)
        case .nullable(let inner): return extent == .most ? value(inner, extent) : .null
        case .freeObject: return .object(["note": .string("sample")])
        case .boolean: return .bool(true)
        case .number: return .number(1.5)
        case .integer(let minimum, let maximum):
            let low = minimum ?? 1
            return .integer(min(max(low, 1), maximum ?? Int64.max))
        case .array(let element, _): return .array(extent == .most ? [value(element, extent)] : [])
        case .object(let object):
            var members: [String: JSONValue] = [:]
            for property in object.properties where property.required || extent == .most {
                members[property.name] = value(property.schema, extent)
            }
            return .object(members)
        case .string(let rules): return .string(text(rules))
        }
    }

    /// A string the rules accept, from candidates that satisfy the common formats and patterns.
    static func text(_ rules: Schema.StringRules) -> String {
        if let allowed = rules.allowed?.first { return allowed }
        switch rules.format {
        case "date-time": return "2026-06-15T12:00:00Z"
        case "date": return "2026-06-15"
        case "uuid": return "0190f7a6-7c1e-7b3a-9c4d-2e5f6a7b8c9d"
        case "email": return "sample@example.com"
        default: break
        }
        let candidates = ["sample", "BR-SP", "BRL", "2026-06-15", "S2", "a-1", "SAMPLE-1", "1", "sample@example.com", "10.50"]
        let fitting = candidates.first { candidate in
            (rules.pattern?.matches(candidate) ?? true) && candidate.count >= (rules.minLength ?? 0) && candidate.count <= (rules.maxLength ?? Int.max)
        }
        if let fitting { return fitting }
        return String(repeating: "x", count: max(rules.minLength ?? 1, 1))
    }
}
