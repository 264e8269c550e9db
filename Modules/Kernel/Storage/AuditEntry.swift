import Foundation
import JSONCoding

/// A reference to one record of one domain: `incident-ops.case` + id.
public struct EntityRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public let type: String
    public let id: String

    public init(_ type: String, _ id: String) {
        self.type = type
        self.id = id
    }

    /// Parses `incident-ops.case/0192…`, the form `vigil audit show` takes.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(String(parts[0]), String(parts[1]))
    }

    public var description: String { "\(type)/\(id)" }
}

/// What a mutation tells the audit log; the actor, time, request id and reason come from the
/// transaction.
public struct AuditEntry: Sendable {
    public let action: String
    public let entity: EntityRef
    public let region: RegionCode?
    public let changes: [FieldChange]
    /// The entity is new in this transaction (a fresh id), so it has no earlier record to link to
    /// and the storage layer need not look one up.
    public let isCreation: Bool

    public init(action: String, entity: EntityRef, region: RegionCode?, changes: [FieldChange], isCreation: Bool = false) {
        self.action = action
        self.entity = entity
        self.region = region
        self.changes = changes
        self.isCreation = isCreation
    }
}

/// One field's value before and after; nil stands for "absent" (created or removed).
public struct FieldChange: Sendable, Codable, Hashable {
    public let field: String
    public let before: JSONValue?
    public let after: JSONValue?

    public init(field: String, before: JSONValue?, after: JSONValue?) {
        self.field = field
        self.before = before
        self.after = after
    }

    /// The stored form: a JSON array of {field, before, after}, absent sides omitted.
    public static func jsonText(_ changes: [FieldChange]) -> String {
        JSONValue.array(
            changes.map { change in
                var members: [String: JSONValue] = ["field": .string(change.field)]
                if let before = change.before { members["before"] = before }
                if let after = change.after { members["after"] = after }
                return .object(members)
            }
        ).jsonText
    }

    /// The fields that differ between two snapshots of a record (top-level keys of their JSON).
    public static func diff(before: (some Encodable)?, after: (some Encodable)?) throws -> [FieldChange] {
        var old: JSONValue?
        var new: JSONValue?
        if let before { old = try JSONValue.encoding(before) }
        if let after { new = try JSONValue.encoding(after) }
        let oldMembers: [String: JSONValue] = if case .object(let members)? = old { members } else { [:] }
        let newMembers: [String: JSONValue] = if case .object(let members)? = new { members } else { [:] }
        return Set(oldMembers.keys).union(newMembers.keys).sorted().compactMap { key in
            let was = oldMembers[key]
            let now = newMembers[key]
            return was == now ? nil : FieldChange(field: key, before: was, after: now)
        }
    }
}
