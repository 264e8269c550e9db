import Calendars
import Foundation
import SQLKit

/// How a Swift value is stored in one column. The forms are the same for every domain:
/// instants as microseconds since 1970 (`Int64`), days as `YYYY-MM-DD`, enums by raw value,
/// lists of words as `,a,b,` (`CommaList`), region codes as text. `placeholder` is what a
/// recording row hands an entity's `init` while its column list is found; `storedValue` is the
/// form written back (`SQLInsertBuilder.row`).
public protocol StoredColumn {
    static func read(_ column: String, from row: any SQLRow) throws -> Self
    static var placeholder: Self { get }
    var storedValue: any Encodable & Sendable { get }
}

extension String: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> String { try row.decode(column: column, as: String.self) }
    public static var placeholder: String { "" }
    public var storedValue: any Encodable & Sendable { self }
}

extension Int: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Int { try row.decode(column: column, as: Int.self) }
    public static var placeholder: Int { 0 }
    public var storedValue: any Encodable & Sendable { self }
}

extension Int64: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
    public static var placeholder: Int64 { 0 }
    public var storedValue: any Encodable & Sendable { self }
}

extension Double: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Double { try row.decode(column: column, as: Double.self) }
    public static var placeholder: Double { 0 }
    public var storedValue: any Encodable & Sendable { self }
}

extension Bool: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Bool { try row.decode(column: column, as: Bool.self) }
    public static var placeholder: Bool { false }
    public var storedValue: any Encodable & Sendable { self }
}

/// An instant: microseconds since 1970 in an integer column.
extension Date: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Date {
        Date(epochMicros: try row.decode(column: column, as: Int64.self))
    }
    public static var placeholder: Date { Date(timeIntervalSince1970: 0) }
    public var storedValue: any Encodable & Sendable { epochMicros }
}

extension UUID: StoredColumn {
    public static func read(_ column: String, from row: any SQLRow) throws -> UUID { try row.uuid(column) }
    public static var placeholder: UUID { UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }
    public var storedValue: any Encodable & Sendable { lowercased }
}

extension LocalDate: StoredColumn {
    public static func read(_ column: String, from row: any SQLRow) throws -> LocalDate { try row.date(column) }
    public static var placeholder: LocalDate { LocalDate(year: 2000, month: 1, day: 1)! }
    public var storedValue: any Encodable & Sendable { description }
}

extension RegionCode: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> RegionCode {
        RegionCode(stored: try row.decode(column: column, as: String.self))
    }
    public static var placeholder: RegionCode { RegionCode(stored: "BR-SP") }
    public var storedValue: any Encodable & Sendable { rawValue }
}

/// A list of words stored as `,a,b,` so that `LIKE '%,a,%'` finds a member.
extension Array: StoredColumn where Element == String {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> [String] {
        CommaList.items(try row.decode(column: column, as: String.self))
    }
    public static var placeholder: [String] { [] }
    public var storedValue: any Encodable & Sendable { CommaList.stored(self) }
}

/// A nullable column. Asks the row for NULL first and then for the wrapped form, which is both
/// the faster path (see `SQLRow.optional`) and the one that keeps each form's own reading.
extension Optional: StoredColumn where Wrapped: StoredColumn {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Wrapped? {
        try row.decodeNil(column: column) ? nil : Wrapped.read(column, from: row)
    }
    public static var placeholder: Wrapped? { nil }
    // A switch, not `map(\.storedValue)`: a key path is applied through the runtime, and inserts
    // on the writer's thread spent 4% of it there.
    public var storedValue: any Encodable & Sendable {
        switch self {
        case .some(let wrapped): wrapped.storedValue
        case .none: StoredNull()
        }
    }
}

/// An enum stored by its raw value. A value this build does not know is an error that names the
/// column (`StoredValueError`), never a default.
public protocol StoredEnum: StoredColumn, RawRepresentable, CaseIterable where RawValue == String {}

extension StoredEnum {
    @inlinable public static func read(_ column: String, from row: any SQLRow) throws -> Self {
        try row.decode(column, as: Self.self)
    }
    public static var placeholder: Self { allCases.first! }
    public var storedValue: any Encodable & Sendable { rawValue }
}

/// NULL, as a bind.
struct StoredNull: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

extension SQLInsertBuilder {
    /// One row by column name, each value in its stored form: no list of columns to keep in the
    /// order of a list of values.
    @discardableResult
    public func row(_ values: KeyValuePairs<String, any StoredColumn>) -> Self {
        columns(values.map(\.key)).values(values.map { SQLBind($0.value.storedValue) })
    }
}
