import Foundation
import JSONCoding
import SQLKit

/// One column's value as written: what `StoredColumn.storedValue` gives, made comparable, so that
/// an update can write only the columns that changed and a keyset cursor can be cut from a row.
public enum StoredField: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case null

    init(_ stored: any Encodable & Sendable) throws {
        switch stored {
        case let text as String: self = .text(text)
        case let number as Int: self = .integer(Int64(number))
        case let number as Int64: self = .integer(number)
        case let number as Double: self = .real(number)
        case let flag as Bool: self = .bool(flag)
        case is StoredNull: self = .null
        default: throw VigilError(.internal, "\(type(of: stored)) is not a stored form of a column")
        }
    }

    public var bind: any Encodable & Sendable {
        switch self {
        case .text(let text): text
        case .integer(let number): number
        case .real(let number): number
        case .bool(let flag): flag
        case .null: StoredNull()
        }
    }
}

extension StoredRow where Self: Encodable {
    /// Every column `init` reads, with this value's stored form: the writing side of the derived
    /// row reading (`RowDecoder`), by the same names. A property left out when encoding (a nil
    /// optional) is NULL, so an update that clears a value writes it.
    public func storedFields() throws -> [(column: String, value: StoredField)] {
        let values = try RowEncoder.fields(of: self)
        return Self.columnNames.map { ($0, values[$0] ?? .null) }
    }
}

extension SQLInsertBuilder {
    /// One entity as one row, every column by name (`StoredRow.storedFields`).
    @discardableResult
    public func record<Row: StoredRow & Encodable>(_ row: Row) throws -> Self {
        let fields = try row.storedFields()
        return columns(fields.map(\.column)).values(fields.map { SQLBind($0.value.bind) })
    }
}

/// Collects the columns of one entity as its synthesized `encode(to:)` hands them over.
final class RowEncoder: Encoder {
    /// The columns `value` encodes (a nil optional is left out), each in its stored form.
    static func fields(of value: some Encodable) throws -> [String: StoredField] {
        let encoder = RowEncoder()
        try value.encode(to: encoder)
        if let problem = encoder.fields.problem { throw VigilError(.internal, "\(type(of: value)) cannot be stored as a row: \(problem)") }
        return encoder.fields.values
    }

    final class Fields {
        var values: [String: StoredField] = [:]
        var problem: String?
    }
    let fields = Fields()
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowFields<Key>(fields: fields))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        fields.problem = "a row is a type with named properties (a struct), one per column"
        return JSONValueEncoderSink()
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        fields.problem = "a row is a type with named properties (a struct), one per column"
        return JSONValueEncoderSink()
    }
}

private struct RowFields<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let fields: RowEncoder.Fields
    var codingPath: [any CodingKey] { [] }

    func encodeNil(forKey key: Key) { fields.values[StoredColumnName.of(key.stringValue)] = .null }
    func encode(_ value: Bool, forKey key: Key) { put(value, key) }
    func encode(_ value: String, forKey key: Key) { put(value, key) }
    func encode(_ value: Double, forKey key: Key) { put(value, key) }
    func encode(_ value: Float, forKey key: Key) { put(Double(value), key) }
    func encode(_ value: Int, forKey key: Key) { put(value, key) }
    func encode(_ value: Int8, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: Int16, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: Int32, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: Int64, forKey key: Key) { put(value, key) }
    func encode(_ value: UInt, forKey key: Key) { wide(value, key) }
    func encode(_ value: UInt8, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: UInt16, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: UInt32, forKey key: Key) { put(Int64(value), key) }
    func encode(_ value: UInt64, forKey key: Key) { wide(value, key) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) {
        if let stored = value as? any StoredColumn {
            put(stored, key)
            return
        }
        // Anything else is a column of JSON text, as `RowReader.json` reads it back.
        do {
            fields.values[StoredColumnName.of(key.stringValue)] = .text(try JSONValue.encoding(value).jsonText)
        } catch {
            fields.problem = "\(key.stringValue): \(error)"
        }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        fields.problem = "\(key.stringValue) is a nested container; a column holds one value"
        return KeyedEncodingContainer(RowFields<NestedKey>(fields: RowEncoder.Fields()))
    }
    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        fields.problem = "\(key.stringValue) is a nested container; a column holds one value"
        return JSONValueEncoderSink()
    }
    func superEncoder() -> any Encoder {
        fields.problem = "a row type encodes without a superclass"
        return RowEncoder()
    }
    func superEncoder(forKey key: Key) -> any Encoder { superEncoder() }

    private func put(_ value: any StoredColumn, _ key: Key) {
        do {
            fields.values[StoredColumnName.of(key.stringValue)] = try StoredField(value.storedValue)
        } catch {
            fields.problem = "\(key.stringValue): \(error)"
        }
    }

    private func wide<Value: FixedWidthInteger>(_ value: Value, _ key: Key) {
        guard let narrow = Int64(exactly: value) else {
            fields.problem = "\(key.stringValue): \(value) does not fit a 64-bit column"
            return
        }
        put(narrow, key)
    }
}

/// Where values go that a row cannot hold; the encoder has noted the problem already.
private struct JSONValueEncoderSink: UnkeyedEncodingContainer, SingleValueEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() {}
    mutating func encode(_ value: Bool) {}
    mutating func encode(_ value: String) {}
    mutating func encode(_ value: Double) {}
    mutating func encode(_ value: Float) {}
    mutating func encode(_ value: Int) {}
    mutating func encode(_ value: Int8) {}
    mutating func encode(_ value: Int16) {}
    mutating func encode(_ value: Int32) {}
    mutating func encode(_ value: Int64) {}
    mutating func encode(_ value: UInt) {}
    mutating func encode(_ value: UInt8) {}
    mutating func encode(_ value: UInt16) {}
    mutating func encode(_ value: UInt32) {}
    mutating func encode(_ value: UInt64) {}
    mutating func encode<T: Encodable>(_ value: T) {}
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RowFields<NestedKey>(fields: RowEncoder.Fields()))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    mutating func superEncoder() -> any Encoder { RowEncoder() }
}
