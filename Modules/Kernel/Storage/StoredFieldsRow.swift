import Foundation
import SQLKit

/// A row held in memory as the stored forms of its columns: what `StoredEntity.merging` reads a
/// changed record back from, so that a patch goes through the same forms as a database row and
/// nothing is rounded on the way (instants keep their microseconds, which JSON would not).
struct StoredFieldsRow: SQLRow {
    let fields: [String: StoredField]

    var allColumns: [String] { Array(fields.keys) }
    func contains(column: String) -> Bool { fields[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let field = fields[column] else { throw StoredValueError(column: column, value: "", type: "a column of this row") }
        return field == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let field = fields[column] ?? .null
        let value: Any? =
            switch field {
            case .text(let text): D.self == String.self ? text : nil
            case .integer(let number):
                D.self == Int64.self ? number : D.self == Int.self ? Int(exactly: number) : D.self == Double.self ? Double(number) : nil
            case .real(let number): D.self == Double.self ? number : nil
            case .bool(let flag): D.self == Bool.self ? flag : nil
            case .null: nil
            }
        guard let typed = value as? D else { throw StoredValueError(column: column, value: "\(field)", type: "\(D.self)") }
        return typed
    }
}

extension StoredEntity {
    /// This record with what `patch` holds put in place: each property of the patch that is not
    /// nil replaces the record's property of the same name (a PATCH body applied; nil leaves a
    /// field as it is). A patch property the record does not have is an error.
    public func merging(_ patch: some Encodable) throws -> Self {
        var fields = Dictionary(try storedFields().map { ($0.column, $0.value) }, uniquingKeysWith: { first, _ in first })
        for (column, value) in try RowEncoder.fields(of: patch) {
            guard fields[column] != nil else { throw VigilError(.internal, "\(type(of: patch)) changes \(column), which \(Self.self) does not store") }
            fields[column] = value
        }
        return try Self(row: StoredFieldsRow(fields: fields))
    }
}
