import Foundation
import JSONCoding

/// The inputs of a form derived from the endpoint's body schema, as data for the host's
/// `form-fields` partial: a page declares which endpoint it submits to, and its fields, their
/// choices, limits and error messages follow the API's own rules.
public enum ConsoleFormFields {
    /// Texts longer than this get a textarea.
    static let lineLimit = 300

    public static func fields(of schema: Schema, values: FormValues, issues: [FieldIssue], only names: [String]?, text: ConsoleTexts) -> [JSONValue] {
        guard case .object(let object) = schema.resolved else { return [] }
        var out: [JSONValue] = []
        collect(object, prefix: "", values: values, issues: issues, only: names, text: text, into: &out)
        return out
    }

    private static func collect(
        _ object: ObjectSchema, prefix: String, values: FormValues, issues: [FieldIssue], only names: [String]?, text: ConsoleTexts, into out: inout [JSONValue]
    ) {
        for property in object.properties {
            let name = prefix.isEmpty ? property.name : prefix + "." + property.name
            if let names, !names.contains(where: { $0 == name || name.hasPrefix($0 + ".") }) { continue }
            if case .object(let inner) = property.schema.resolved {
                collect(inner, prefix: name, values: values, issues: issues, only: names, text: text, into: &out)
                continue
            }
            out.append(field(name, property, values: values, issues: issues, text: text))
        }
    }

    private static func field(_ name: String, _ property: ObjectSchema.Property, values: FormValues, issues: [FieldIssue], text: ConsoleTexts) -> JSONValue {
        let key = name.replacingOccurrences(of: ".", with: "-")
        let value = values.single(name) ?? ""
        var members: [String: JSONValue] = [
            "name": .string(name), "id": .string("field-" + key), "label": .string(text("field-" + key)),
            "value": .string(value), "required": .bool(property.required),
        ]
        let messages = issues.filter { $0.field == name }.map(\.message)
        if !messages.isEmpty { members["error"] = .string(messages.joined(separator: "; ")) }
        switch property.schema.resolved {
        case .boolean:
            members["checkbox"] = .bool(true)
            members["checked"] = .bool(["true", "on", "yes", "1"].contains(value.lowercased()))
        case .integer(let minimum, let maximum):
            members["input"] = .string("number")
            if let minimum { members["min"] = .string(String(minimum)) }
            if let maximum { members["max"] = .string(String(maximum)) }
        case .number:
            members["input"] = .string("text")
            members["inputmode"] = .string("decimal")
        case .array:
            members["textarea"] = .bool(true)
            members["value"] = .string(values.all(name).joined(separator: "\n"))
        case .string(let rules):
            if let allowed = rules.allowed {
                members["select"] = .bool(true)
                members["options"] = .array(
                    allowed.map { option in
                        .object([
                            "value": .string(option), "label": .string(text("value-\(key)-\(option)")), "selected": .bool(option == value),
                        ])
                    })
            } else if rules.format == "date-time" {
                members["input"] = .string("datetime-local")
            } else if rules.format == "date" {
                members["input"] = .string("date")
            } else if (rules.maxLength ?? Int.max) > lineLimit {
                members["textarea"] = .bool(true)
            } else {
                members["input"] = .string(rules.format == "email" ? "email" : "text")
            }
            if let maxLength = rules.maxLength { members["maxlength"] = .string(String(maxLength)) }
        default:
            members["input"] = .string("text")
        }
        return .object(members)
    }
}

/// The viewer's catalog for the page's domain (then the platform's): a key's text in their
/// language, with `{{name}}` filled from `values`. A key no catalog has comes back as `⟦key⟧`,
/// which tests look for on every page.
public struct ConsoleTexts: Sendable {
    private let lookup: @Sendable (String) -> String?

    public init(_ lookup: @escaping @Sendable (String) -> String?) { self.lookup = lookup }

    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        guard var text = lookup(key) else { return ConsoleTexts.missing(key) }
        for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: value) }
        return text
    }

    public func has(_ key: String) -> Bool { lookup(key) != nil }

    public static func missing(_ key: String) -> String { "⟦\(key)⟧" }
}
