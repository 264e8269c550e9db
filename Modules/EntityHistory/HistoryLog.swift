import Foundation
import JSONCoding
import Kernel
import SQLKit

/// What happened to one kind of entity, a line per event, in the order it happened: the incident
/// desk's case timeline, the IT desk's ticket and asset histories. The table holds
/// `id, <subject>, at, actor, kind, text, details` and whatever columns the domain adds
/// (`extraColumns`, written and read in that order); an index on `(<subject>, at, id)` serves
/// every read, a page at a time. Ids come from the domain's generator (time-ordered), so lines
/// written in one transaction keep their order.
public struct HistoryLog: Sendable {
    public let table: String
    public let subject: String
    public let extraColumns: [String]

    public init(table: String, subject: String, extraColumns: [String] = []) {
        self.table = table
        self.subject = subject
        self.extraColumns = extraColumns
    }

    /// The columns of a line, for SELECT and INSERT.
    public var columns: String { (["id", subject, "at", "actor", "kind", "text", "details"] + extraColumns).joined(separator: ", ") }

    /// Writes one line, inside the transaction of the change it records (`tx.sql`); `extra`
    /// follows `extraColumns`.
    public func append(_ line: HistoryLine, extra: [(any Encodable & Sendable)?] = [], on sql: any SQLDatabase) async throws {
        guard extra.count == extraColumns.count else { throw VigilError(.internal, "\(table): \(extra.count) extra values for \(extraColumns.count) columns") }
        var values: SQLQueryString =
            "\(bind: line.id), \(bind: line.subject), \(bind: line.at.epochMicros), \(bind: line.actor), \(bind: line.kind), \(bind: line.text), \(bind: line.details.jsonText)"
        for value in extra {
            if let value { values += ", \(bind: value)" } else { values += ", NULL" }
        }
        try await sql.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns)) VALUES (" + values + ")").run()
    }

    /// A page of an entity's lines, oldest first.
    public func page<Entry: Sendable & Encodable>(
        of subjectID: String, after cursor: Cursor?, limit: Int, on sql: any SQLDatabase,
        _ entry: (HistoryRow) throws -> Entry
    ) async throws -> Page<Entry> {
        let select = sql.select().column(SQLRaw(columns)).from(table).where(SQLIdentifier(subject), .equal, SQLBind(subjectID))
        try select.keyset([.ascending("at"), .ascending("id")], after: cursor, limit: limit)
        let rows = try await select.all().map { try HistoryRow(row: $0, subject: subject) }
        let kept = Array(rows.prefix(limit))
        let next = rows.count > limit ? kept.last.map { Cursor([.integer($0.at.epochMicros), .text($0.id)]).encoded } : nil
        return Page(items: try kept.map(entry), nextCursor: next)
    }

    /// Every line of an entity, oldest first: for recomputing state from its history (an SLA
    /// replay), where a page would be wrong.
    public func all<Entry>(of subjectID: String, on sql: any SQLDatabase, _ entry: (HistoryRow) throws -> Entry) async throws -> [Entry] {
        try await sql.raw("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE \(ident: subject) = \(bind: subjectID) ORDER BY at, id")
            .all().map { try entry(HistoryRow(row: $0, subject: subject)) }
    }
}

/// A line as written.
public struct HistoryLine: Sendable {
    public let id: String
    public let subject: String
    public let at: Date
    public let actor: String
    public let kind: String
    public let text: String?
    public let details: JSONValue

    public init<Kind: RawRepresentable<String>>(id: String, subject: String, at: Date, actor: String, kind: Kind, text: String?, details: JSONValue) {
        self.id = id
        self.subject = subject
        self.at = at
        self.actor = actor
        self.kind = kind.rawValue
        self.text = text
        self.details = details
    }

    /// In a transaction: its instant and its actor.
    public init<Kind: RawRepresentable<String>>(id: String, subject: String, kind: Kind, text: String?, details: JSONValue, in tx: Transaction) {
        self.init(id: id, subject: subject, at: tx.now, actor: tx.principal.actor, kind: kind, text: text, details: details)
    }
}

/// A line as read back: the shared columns decoded (a kind or details that do not read are an
/// error, never a default), the row for the domain's own columns.
public struct HistoryRow {
    public let id: String
    public let subject: String
    public let at: Date
    public let actor: String
    public let text: String?
    public let details: JSONValue
    public let row: any SQLRow
    private let kindText: String

    init(row: any SQLRow, subject column: String) throws {
        id = try row.decode(column: "id", as: String.self)
        subject = try row.decode(column: column, as: String.self)
        at = Date(epochMicros: try row.decode(column: "at", as: Int64.self))
        actor = try row.decode(column: "actor", as: String.self)
        kindText = try row.decode(column: "kind", as: String.self)
        text = try row.optional("text", as: String.self)
        let detailsText = try row.decode(column: "details", as: String.self)
        do {
            details = try JSONValue.parse(Data(detailsText.utf8))
        } catch {
            throw StoredValueError(column: "details", value: detailsText, type: "JSON")
        }
        self.row = row
    }

    /// The line's kind as the domain's type; a stored kind this build does not know is an error.
    public func kind<Kind: RawRepresentable<String>>(_ type: Kind.Type) throws -> Kind {
        guard let kind = Kind(rawValue: kindText) else { throw StoredValueError(column: "kind", value: kindText, type: String(describing: Kind.self)) }
        return kind
    }
}
