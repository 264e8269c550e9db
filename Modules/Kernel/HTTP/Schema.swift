import Calendars
import Foundation
import JSONCoding

/// A JSON Schema subset that serves twice: it documents request and response bodies in
/// /openapi.json, and it validates request bodies before they are decoded, so that wrong types and
/// unknown fields are reported field by field instead of being ignored or crashing a decoder.
public indirect enum Schema: Sendable {
    case string(StringRules = .init())
    case integer(minimum: Int64? = nil, maximum: Int64? = nil)
    case number
    case boolean
    case array(Schema, maxItems: Int? = nil)
    case object(ObjectSchema)
    /// A free-form JSON object (`additionalProperties: true`).
    case freeObject
    case nullable(Schema)
    /// A schema that goes to `components/schemas` under this name and is referenced from there.
    case named(String, Schema)

    public struct StringRules: Sendable {
        public var minLength: Int?
        public var maxLength: Int?
        public var format: String?
        public var allowed: [String]?
        public var description: String?
        public var pattern: TextPattern?

        public init(
            minLength: Int? = nil, maxLength: Int? = nil, format: String? = nil, allowed: [String]? = nil, description: String? = nil,
            pattern: TextPattern? = nil
        ) {
            self.minLength = minLength
            self.maxLength = maxLength
            self.format = format
            self.allowed = allowed
            self.description = description
            self.pattern = pattern
        }
    }

    public static func string(maxLength: Int, minLength: Int? = nil) -> Schema { .string(.init(minLength: minLength, maxLength: maxLength)) }
    public static func enumeration(_ values: [String]) -> Schema { .string(.init(allowed: values)) }
    public static var dateTime: Schema { .string(.init(format: "date-time")) }
    /// A calendar day. In a request it must fall within `LocalDate.inputYears` (/openapi.json
    /// says so with `TextPattern.inputDate` on request bodies and parameters).
    public static var date: Schema { .string(.init(format: "date")) }
    public static var uuid: Schema { .string(.init(format: "uuid")) }
    public static var regionCode: Schema { .string(.init(maxLength: 6, pattern: .regionCode)) }

    /// A page of a list (`Page`): its items and, but on the last page, the cursor of the next.
    public static func page(_ name: String, of item: Schema) -> Schema {
        .named(name, .object([.required("items", .array(item)), .optional("nextCursor", .string(.init()), "Absent on the last page")]))
    }
}

/// A rule for text, in two forms that must agree: an anchored ECMA-262 regular expression for
/// /openapi.json (so outside tools generate and check the same values), and the check the server
/// runs (the same parser the domain uses, so the two cannot drift in what they accept). A test
/// runs both over the same samples.
public struct TextPattern: Sendable {
    public let regex: String
    public let message: String
    public let matches: @Sendable (String) -> Bool

    public init(regex: String, message: String, matches: @escaping @Sendable (String) -> Bool) {
        self.regex = regex
        self.message = message
        self.matches = matches
    }

    public static let regionCode = TextPattern(regex: "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$", message: RegionCode.rule) { RegionCode($0) != nil }
    public static let inputDate = TextPattern(
        regex: "^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", message: LocalDate.inputRule
    ) { LocalDate(input: $0) != nil }
}

public struct ObjectSchema: Sendable {
    public struct Property: Sendable {
        public let name: String
        public let schema: Schema
        public let required: Bool
        public let description: String?
    }

    public var properties: [Property]

    public init(_ properties: [Property]) { self.properties = properties }

    public func property(_ name: String) -> Property? { properties.first { $0.name == name } }
}

extension ObjectSchema.Property {
    public static func required(_ name: String, _ schema: Schema, _ description: String? = nil) -> Self {
        .init(name: name, schema: schema, required: true, description: description)
    }

    public static func optional(_ name: String, _ schema: Schema, _ description: String? = nil) -> Self {
        .init(name: name, schema: schema, required: false, description: description)
    }
}

extension Schema {
    public static func object(_ properties: [ObjectSchema.Property]) -> Schema { .object(ObjectSchema(properties)) }

    /// The schema without its name wrapper.
    public var resolved: Schema {
        if case .named(_, let inner) = self { return inner.resolved }
        return self
    }

    /// Every problem of `value` against this schema, each with its path (`location.latitude`).
    public func validate(_ value: JSONValue, at path: String = "") -> [FieldIssue] {
        let field = path.isEmpty ? "body" : path
        switch self {
        case .named(_, let inner):
            return inner.validate(value, at: path)
        case .nullable(let inner):
            if case .null = value { return [] }
            return inner.validate(value, at: path)
        case .freeObject:
            if case .object = value { return [] }
            return [FieldIssue(field, .type, "must be an object, not \(value.typeName)")]
        case .boolean:
            if case .bool = value { return [] }
            return [FieldIssue(field, .type, "must be a boolean, not \(value.typeName)")]
        case .number:
            switch value {
            case .integer, .number: return []
            default: return [FieldIssue(field, .type, "must be a number, not \(value.typeName)")]
            }
        case .integer(let minimum, let maximum):
            // JSON Schema counts 1.0 as an integer; so do we (Foundation's decoder reads it as 1).
            let integral: Int64? =
                switch value {
                case .integer(let number): number
                case .number(let number): Int64(exactly: number)
                default: nil
                }
            guard let number = integral else {
                if case .number = value { return [FieldIssue(field, .type, "must be a whole number within ±9223372036854775807")] }
                return [FieldIssue(field, .type, "must be an integer, not \(value.typeName)")]
            }
            if let minimum, number < minimum { return [FieldIssue(field, .outOfRange, "must be at least \(minimum)")] }
            if let maximum, number > maximum { return [FieldIssue(field, .outOfRange, "must be at most \(maximum)")] }
            return []
        case .string(let rules):
            guard case .string(let text) = value else {
                return [FieldIssue(field, .type, "must be a string, not \(value.typeName)")]
            }
            return rules.validate(text, field: field)
        case .array(let element, let maxItems):
            guard case .array(let items) = value else {
                return [FieldIssue(field, .type, "must be an array, not \(value.typeName)")]
            }
            if let maxItems, items.count > maxItems {
                return [FieldIssue(field, .tooLong, "must have at most \(maxItems) items")]
            }
            return items.enumerated().flatMap { element.validate($1, at: "\(field)[\($0)]") }
        case .object(let object):
            guard case .object(let members) = value else {
                return [FieldIssue(field, .type, "must be an object, not \(value.typeName)")]
            }
            var issues: [FieldIssue] = []
            let prefix = path.isEmpty ? "" : path + "."
            for key in members.keys.sorted() where object.property(key) == nil {
                // An empty member name still names a place: `""`, not nothing.
                issues.append(FieldIssue(prefix + (key.isEmpty ? "\"\"" : key), .unknownField, "is not a field of this request"))
            }
            for property in object.properties {
                guard let member = members[property.name] else {
                    if property.required { issues.append(FieldIssue(prefix + property.name, .required, "is required")) }
                    continue
                }
                if case .null = member, property.required {
                    issues.append(FieldIssue(prefix + property.name, .required, "is required and may not be null"))
                    continue
                }
                if case .null = member { continue }
                issues += property.schema.validate(member, at: prefix + property.name)
            }
            return issues
        }
    }
}

extension Schema.StringRules {
    func validate(_ text: String, field: String) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let length = text.count
        if let minLength, length < minLength {
            issues.append(FieldIssue(field, .tooShort, minLength == 1 ? "may not be empty" : "must be at least \(minLength) characters"))
        }
        if let maxLength, length > maxLength {
            issues.append(FieldIssue(field, .tooLong, "must be at most \(maxLength) characters"))
        }
        if let allowed, !allowed.contains(text) {
            issues.append(FieldIssue(field, .notAllowed, "must be one of \(allowed.joined(separator: ", "))"))
        }
        switch format {
        case "date-time" where ISO8601.parse(text) == nil:
            issues.append(FieldIssue(field, .format, "must be an ISO 8601 instant like 2026-01-15T12:00:00Z"))
        case "date" where LocalDate(input: text) == nil:
            // Schemas validate requests only: a date a person or a client gives.
            issues.append(FieldIssue(field, .format, LocalDate.inputRule))
        case "uuid" where UUID(uuidString: text) == nil:
            issues.append(FieldIssue(field, .format, "must be a UUID"))
        case "email" where !(text.contains("@") && !text.hasPrefix("@") && !text.hasSuffix("@")):
            issues.append(FieldIssue(field, .format, "must be an email address"))
        default:
            break
        }
        if let pattern, !pattern.matches(text), !issues.contains(where: { $0.code == .format }) {
            issues.append(FieldIssue(field, .format, pattern.message))
        }
        return issues
    }
}
