import SQLKit

/// A value bound as it is, without Encodable's dynamic casts: for statements run for many rows.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case real(Double)

    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    public init(_ number: Int64?) { self = number.map(SQLValue.integer) ?? .null }
    public init(_ number: Int) { self = .integer(Int64(number)) }
}

/// A database that runs one statement for many rows of values, preparing it once. Engines that
/// can offer it do (the embedded SQLite writer); bulk writers (asset imports) use it when it is
/// there and plain SQLKit statements otherwise.
public protocol BatchStatementDatabase {
    /// Runs `sql` (with `?` placeholders) once per row of `rows`, in order; `onRow` sees the rows
    /// each run returns, with the index of the row of values that produced them.
    func executeBatch(_ sql: String, rows: [[SQLValue]], onRow: (Int, any SQLRow) throws -> Void) throws
}
