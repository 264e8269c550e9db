import Foundation
import JSONCoding

/// The fields of an HTML form (application/x-www-form-urlencoded), each name with every value it
/// was sent with, in order. Parsed here rather than by a generic decoder because forms repeat
/// names (checkbox groups), send "on" for a ticked box and "" for an empty field, and a page must
/// turn all of that into the endpoint's JSON with the same field names the API reports errors in.
public struct FormValues: Sendable, Hashable {
    public private(set) var pairs: [(name: String, value: String)]

    public static func == (lhs: FormValues, rhs: FormValues) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
    }

    public init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Parses a urlencoded body: `+` is a space, `%XX` a byte; a malformed escape keeps its text.
    public init(urlEncoded text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormValues.decode(halves[0])
            let value = halves.count > 1 ? FormValues.decode(halves[1]) : ""
            return (name, value)
        }
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
    /// The last value sent under `name` (a hidden default before a checkbox comes first).
    public func single(_ name: String) -> String? { pairs.last { $0.name == name }?.value }
    public var isEmpty: Bool { pairs.isEmpty }

    public mutating func set(_ name: String, _ value: String) {
        pairs.removeAll { $0.name == name }
        pairs.append((name, value))
    }

    /// The form as the JSON body `schema` describes. Names follow the JSON paths (`location.address`);
    /// an empty text is "not given" (absent), so an optional field left blank is not sent; numbers
    /// and booleans are read from their text, and a value that is not one is an issue on its field.
    /// Names starting with `_` are the console's own (`_csrf`, `_version`, `_idem`) and never sent.
    public func json(for schema: Schema) -> (JSONValue, [FieldIssue]) {
        var issues: [FieldIssue] = []
        let value = build(schema.resolved, path: "", issues: &issues) ?? .object([:])
        return (value, issues)
    }

    private func build(_ schema: Schema, path: String, issues: inout [FieldIssue]) -> JSONValue? {
        switch schema {
        case .named(_, let inner): return build(inner, path: path, issues: &issues)
        case .nullable(let inner): return build(inner, path: path, issues: &issues)
        case .object(let object):
            var members: [String: JSONValue] = [:]
            for property in object.properties {
                let child = path.isEmpty ? property.name : path + "." + property.name
                if let value = build(property.schema, path: child, issues: &issues) { members[property.name] = value }
            }
            return path.isEmpty || !members.isEmpty ? .object(members) : nil
        case .array(let element, _):
            let texts = all(path).flatMap { text in
                // A textarea of lines or a comma list both name several values.
                text.split(whereSeparator: { $0 == "\n" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            }.filter { !$0.isEmpty }
            guard all(path).contains(where: { !$0.isEmpty }) else { return nil }
            return .array(texts.compactMap { scalar(element.resolved, text: $0, path: path, issues: &issues) })
        default:
            guard let text = single(path), !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return scalar(schema, text: text, path: path, issues: &issues)
        }
    }

    private func scalar(_ schema: Schema, text: String, path: String, issues: inout [FieldIssue]) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch schema {
        case .named(_, let inner), .nullable(let inner): return scalar(inner, text: text, path: path, issues: &issues)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "on", "yes", "1": return .bool(true)
            case "false", "off", "no", "0": return .bool(false)
            default:
                issues.append(FieldIssue(path, .type, "must be yes or no"))
                return nil
            }
        case .integer:
            guard let number = Int64(trimmed) else {
                issues.append(FieldIssue(path, .type, "must be a whole number"))
                return nil
            }
            return .integer(number)
        case .number:
            guard let number = Double(trimmed.replacingOccurrences(of: ",", with: ".")), number.isFinite else {
                issues.append(FieldIssue(path, .type, "must be a number"))
                return nil
            }
            return .number(number)
        case .string(let rules) where rules.format == "date-time":
            // A datetime-local input sends "2026-12-03T14:05" without a zone; the page adds it.
            return .string(trimmed)
        default:
            return .string(text)
        }
    }
}
