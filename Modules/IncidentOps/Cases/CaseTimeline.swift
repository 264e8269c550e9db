import Foundation
import JSONCoding
import Kernel
import SQLKit

/// One entry of a case's timeline: its opening, status changes, corrections and notes, in order.
public struct TimelineEntry: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case opened, updated, status, note, acknowledged, sla, assignment, escalation, sop, link, contact, attachment
    }

    /// Internal entries are for the desk; external ones may be shared with the reporter.
    public enum Visibility: String, Codable, Sendable, CaseIterable {
        case `internal`, external
    }

    public let id: String
    public let caseId: String
    public let at: Date
    public let actor: String
    public let kind: Kind
    public let visibility: Visibility
    public let text: String?
    public let details: JSONValue

    static let columns = "id, case_id, at, actor, kind, visibility, text, details"

    init(id: String, caseId: String, at: Date, actor: String, kind: Kind, visibility: Visibility, text: String?, details: JSONValue) {
        self.id = id
        self.caseId = caseId
        self.at = at
        self.actor = actor
        self.kind = kind
        self.visibility = visibility
        self.text = text
        self.details = details
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        caseId = try row.decode(column: "case_id", as: String.self)
        at = Date(epochMicros: try row.decode(column: "at", as: Int64.self))
        actor = try row.decode(column: "actor", as: String.self)
        kind = try row.decode("kind", as: Kind.self)
        visibility = try row.decode("visibility", as: Visibility.self)
        text = try row.optional("text", as: String.self)
        details = try JSONValue.parse(Data(try row.decode(column: "details", as: String.self).utf8))
    }
}

/// A note as written by an analyst.
public struct NoteInput: Codable, Sendable {
    public var text: String
    public var visibility: String?

    public init(text: String, visibility: String? = nil) {
        self.text = text
        self.visibility = visibility
    }

    func validated() throws(VigilError) -> (text: String, visibility: TimelineEntry.Visibility) {
        var validator = Validator()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check(!trimmed.isEmpty, "text", .required, "is required")
        validator.check(trimmed.count <= 10_000, "text", .tooLong, "must be at most 10000 characters")
        let visibility = visibility.map { TimelineEntry.Visibility(rawValue: $0) } ?? .internal
        validator.check(visibility != nil, "visibility", .notAllowed, "must be internal or external")
        try validator.finish()
        return (trimmed, visibility!)
    }
}

struct TimelineStore: Sendable {
    func append(_ entry: TimelineEntry, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO incident_case_timeline (\(unsafeRaw: TimelineEntry.columns))
            VALUES (\(bind: entry.id), \(bind: entry.caseId), \(bind: entry.at.epochMicros), \(bind: entry.actor), \(bind: entry.kind.rawValue),
                    \(bind: entry.visibility.rawValue), \(bind: entry.text), \(bind: entry.details.jsonText))
            """).run()
    }

    /// Every entry of a case, oldest first (for recomputing its clocks).
    func all(caseID: String, on sql: any SQLDatabase) async throws -> [TimelineEntry] {
        try await sql.raw("SELECT \(unsafeRaw: TimelineEntry.columns) FROM incident_case_timeline WHERE case_id = \(bind: caseID) ORDER BY at, id")
            .all().map(TimelineEntry.init(row:))
    }

    func page(caseID: String, after cursor: Cursor?, limit: Int, on sql: any SQLDatabase) async throws -> Page<TimelineEntry> {
        let select = sql.select().column(SQLRaw(TimelineEntry.columns)).from("incident_case_timeline").where("case_id", .equal, caseID)
        try select.keyset([.ascending("at"), .ascending("id")], after: cursor, limit: limit)
        return try await select.all().map(TimelineEntry.init(row:)).page(limit: limit) { Cursor([.integer($0.at.epochMicros), .text($0.id)]) }
    }
}
