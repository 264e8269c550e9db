import Calendars
import Foundation
import SQLKit

/// Stored text read back as the typed value it was written from. A value the code does not know
/// (a corrupt row, or one written by a newer release) is an error that names the column, never a
/// default: reading an unknown ticket status as "new" would reopen a closed ticket, an unknown
/// approval state as "not required" would skip a change's approval.
extension SQLRow {
    public func decode<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value where Value.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else { throw StoredValueError(column: column, value: raw, type: "\(Value.self)") }
        return value
    }

    public func optional<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value? where Value.RawValue == String {
        guard let raw = try optional(column, as: String.self) else { return nil }
        guard let value = Value(rawValue: raw) else { throw StoredValueError(column: column, value: raw, type: "\(Value.self)") }
        return value
    }

    public func date(_ column: String) throws -> LocalDate {
        let raw = try decode(column: column, as: String.self)
        guard let date = LocalDate(raw) else { throw StoredValueError(column: column, value: raw, type: "date") }
        return date
    }

    public func uuid(_ column: String) throws -> UUID {
        let raw = try decode(column: column, as: String.self)
        guard let id = UUID(uuidString: raw) else { throw StoredValueError(column: column, value: raw, type: "UUID") }
        return id
    }

    public func optionalDate(_ column: String) throws -> LocalDate? {
        guard let raw = try optional(column, as: String.self) else { return nil }
        guard let date = LocalDate(raw) else { throw StoredValueError(column: column, value: raw, type: "date") }
        return date
    }
}

/// A stored value this build cannot read. Surfaces as a 500 whose detail goes to the log.
public struct StoredValueError: Error, CustomStringConvertible {
    public let column: String
    public let value: String
    public let type: String

    public init(column: String, value: String, type: String) {
        self.column = column
        self.value = value
        self.type = type
    }

    public var description: String { "stored \(column) '\(value.prefix(80))' is not a known \(type): a corrupt row, or one written by a newer release" }
}
