import Foundation

/// The row reading a `Decodable` entity gets without writing it: each stored property read from
/// the column of its name in snake_case (`createdAt` from `created_at`), in its stored form
/// (`StoredColumn`), and a property of any other `Decodable` type from a column of JSON text.
///
/// It is the same `RowReader` a hand-written `init` uses, so the column list is still recorded
/// from this reading. It reads each column by name through `Decoder`, which costs more than a
/// hand-written `init`: an entity on a hot list (a case, an asset) keeps writing its own.
extension StoredRow where Self: Decodable {
    public init(_ row: RowReader) throws {
        try self.init(from: RowDecoder(row: row))
    }
}

/// The column an entity's property is stored in: its coding key in snake_case.
public enum StoredColumnName {
    public static func of(_ key: String) -> String {
        var column = ""
        column.reserveCapacity(key.utf8.count + 4)
        for character in key.unicodeScalars {
            if character.properties.isUppercase {
                if !column.isEmpty { column.append("_") }
                column.unicodeScalars.append(contentsOf: character.properties.lowercaseMapping.unicodeScalars)
            } else {
                column.unicodeScalars.append(character)
            }
        }
        return column
    }
}

struct RowDecoder: Decoder {
    let row: RowReader
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowColumns<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Self.notAnEntity }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw Self.notAnEntity }

    static var notAnEntity: DecodingError {
        DecodingError.typeMismatch(
            RowReader.self, .init(codingPath: [], debugDescription: "a row decodes into a type with named properties (a struct), one per column"))
    }
}

private struct RowColumns<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: RowReader
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool { try row.isNull(StoredColumnName.of(key.stringValue)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try column(key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try column(key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try column(key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try column(key) as Double) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try column(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try narrow(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try narrow(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try narrow(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try column(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try narrow(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try narrow(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try narrow(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try narrow(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try narrow(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let name = StoredColumnName.of(key.stringValue)
        if let stored = T.self as? any StoredColumn.Type {
            return try read(stored, name) as! T
        }
        // A recording row hands back a value of the type, which only the probe can make.
        let placeholder: T? = row.isRecording ? try SchemaProbe.placeholder(T.self) : nil
        return try row.json(name, empty: placeholder!)
    }

    // Optionals ask for NULL through the wrapped form's own reading (`Optional: StoredColumn`),
    // so an optional property reads its column once and records it like any other.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let name = StoredColumnName.of(key.stringValue)
        if let stored = T.self as? any StoredColumn.Type {
            return try readOptional(stored, name).map { $0 as! T }
        }
        return try row.optionalJSON(name, as: T.self)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try row[StoredColumnName.of(key.stringValue)] }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try row[StoredColumnName.of(key.stringValue)] }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try row[StoredColumnName.of(key.stringValue)] }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try row[StoredColumnName.of(key.stringValue)] }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try row[StoredColumnName.of(key.stringValue)] }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw RowDecoder.notAnEntity
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw RowDecoder.notAnEntity }
    func superDecoder() throws -> any Decoder { throw RowDecoder.notAnEntity }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw RowDecoder.notAnEntity }

    private func column<Value: StoredColumn>(_ key: Key) throws -> Value { try row[StoredColumnName.of(key.stringValue)] }

    private func narrow<Value: FixedWidthInteger>(_ key: Key) throws -> Value {
        let name = StoredColumnName.of(key.stringValue)
        let wide: Int64 = try row[name]
        guard let value = Value(exactly: wide) else { throw StoredValueError(column: name, value: String(wide), type: "\(Value.self)") }
        return value
    }

    private func read<Value: StoredColumn>(_ type: Value.Type, _ name: String) throws -> any StoredColumn {
        let value: Value = try row[name]
        return value
    }

    private func readOptional<Value: StoredColumn>(_ type: Value.Type, _ name: String) throws -> (any StoredColumn)? {
        let value: Value? = try row[name]
        return value
    }
}
