import Foundation
import JSONCoding
import SQLKit
import Synchronization

/// A value read from the columns of one row: the one way rows become values.
///
/// An entity writes how it reads itself once, a column per line (`status = try row["status"]`),
/// and its column list comes from that same code: the first time `columns` is asked for, `init`
/// runs once over a recording row that notes each column it reads. So the SELECT list and the
/// reading cannot drift apart, and every entity stores instants, enums, lists and region codes the
/// same way (`StoredColumn`). Reading goes straight to the row, as hand-written code did: nothing
/// is decoded twice or boxed on the list paths.
public protocol StoredRow {
    init(_ row: RowReader) throws
}

extension StoredRow {
    /// The columns `init` reads, comma-separated, in the order it reads them.
    public static var columns: String { StoredRowColumns.of(Self.self).text }

    /// The same columns, each qualified by a table alias (`t.id, t.title`), for joins.
    public static func columns(qualifiedBy alias: String) -> String {
        StoredRowColumns.of(Self.self).names.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The column names as a list, for INSERT statements built from the same definition.
    public static var columnNames: [String] { StoredRowColumns.of(Self.self).names }

    @inlinable
    public init(row: any SQLRow) throws { try self.init(RowReader(row)) }
}

/// One row as an entity's `init` sees it: typed reads by column name.
public struct RowReader {
    // Not optional: unwrapping an optional existential copied the row (a retain and a release)
    // on every column read, 13% of the case list's time. A recording reader holds a stand-in.
    @usableFromInline let row: any SQLRow
    @usableFromInline let recording: StoredRowColumns.Recording?

    @inlinable
    public init(_ row: any SQLRow) {
        self.row = row
        recording = nil
    }

    init(recording: StoredRowColumns.Recording) {
        row = StoredRowColumns.NoRow()
        self.recording = recording
    }

    /// The column read as its stored form (`StoredColumn`).
    @inlinable
    public subscript<Value: StoredColumn>(_ column: String) -> Value {
        get throws {
            if let recording {
                recording.note(column)
                return Value.placeholder
            }
            return try Value.read(column, from: row)
        }
    }

    /// A reader that records the columns an `init` reads instead of reading a row.
    public var isRecording: Bool { recording != nil }

    /// Whether the column is NULL (a recording row notes the column and answers yes).
    public func isNull(_ column: String) throws -> Bool {
        if let recording {
            recording.note(column)
            return true
        }
        return try row.decodeNil(column: column)
    }

    /// A column of JSON text, decoded with the API's rules (`VigilJSON`). A recording row has no
    /// text to decode, so it hands back `empty` (an empty list, a default calendar).
    public func json<Value: Decodable>(_ column: String, empty: @autoclosure () -> Value) throws -> Value {
        if let recording {
            recording.note(column)
            return empty()
        }
        return try Self.decodeJSON(try row.decode(column: column, as: String.self), column: column)
    }

    /// A nullable column of JSON text.
    public func optionalJSON<Value: Decodable>(_ column: String, as type: Value.Type) throws -> Value? {
        if let recording {
            recording.note(column)
            return nil
        }
        guard let text = try row.optional(column, as: String.self) else { return nil }
        return try Self.decodeJSON(text, column: column)
    }

    private static func decodeJSON<Value: Decodable>(_ text: String, column: String) throws -> Value {
        do {
            return try VigilJSON.decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: column, value: text, type: "\(Value.self) as JSON")
        }
    }

    /// An instant stored as microseconds where 0 means "never" (columns a query orders by, such as
    /// `last_assigned_at`, where NULL would sort differently on the two engines).
    @inlinable
    public func instantOrNever(_ column: String) throws -> Date? {
        let micros: Int64 = try self[column]
        return micros == 0 ? nil : Date(epochMicros: micros)
    }
}

/// The column lists of the row types, found once per type by running its `init` over a recording row.
public enum StoredRowColumns {
    /// A type's columns, as a list and as the text of a SELECT list (kept, not joined per query).
    struct Known: Sendable {
        let names: [String]
        let text: String
    }

    private static let known = Mutex<[ObjectIdentifier: Known]>([:])

    static func of<Row: StoredRow>(_ type: Row.Type) -> Known {
        if let columns = known.withLock({ $0[ObjectIdentifier(type)] }) { return columns }
        let recording = Recording()
        do {
            _ = try Row(RowReader(recording: recording))
        } catch {
            // Placeholders are valid for every stored form, so only a read outside RowReader can fail here.
            preconditionFailure("\(Row.self) threw while its columns were recorded: \(error)")
        }
        precondition(!recording.columns.isEmpty, "\(Row.self) reads no column")
        let columns = Known(names: recording.columns, text: recording.columns.joined(separator: ", "))
        known.withLock { $0[ObjectIdentifier(type)] = columns }
        return columns
    }

    /// What a recording reader holds in place of a row; never read.
    struct NoRow: SQLRow {
        var allColumns: [String] { [] }
        func contains(column: String) -> Bool { false }
        func decodeNil(column: String) throws -> Bool { true }
        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            throw StoredValueError(column: column, value: "", type: "a column of a recording row")
        }
    }

    /// The columns an `init` reads, in order, each once.
    public final class Recording: @unchecked Sendable {
        // Used by one thread, during one recording run.
        var columns: [String] = []

        @usableFromInline
        func note(_ column: String) {
            if !columns.contains(column) { columns.append(column) }
        }
    }
}
