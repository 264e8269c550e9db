import EntityHistory
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

    init(_ line: HistoryRow) throws {
        self.init(
            id: line.id, caseId: line.subject, at: line.at, actor: line.actor, kind: try line.kind(Kind.self),
            visibility: try line.row.decode("visibility", as: Visibility.self), text: line.text, details: line.details)
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

/// The case timeline on the shared history mechanism; its own column says who may read a line.
struct TimelineStore: Sendable {
    static let log = HistoryLog(table: "incident_case_timeline", subject: "case_id", extraColumns: ["visibility"])

    func append(_ entry: TimelineEntry, on sql: any SQLDatabase) async throws {
        let line = HistoryLine(
            id: entry.id, subject: entry.caseId, at: entry.at, actor: entry.actor, kind: entry.kind, text: entry.text, details: entry.details)
        try await Self.log.append(line, extra: [entry.visibility.rawValue], on: sql)
    }

    /// Every entry of a case, oldest first (for recomputing its clocks).
    func all(caseID: String, on sql: any SQLDatabase) async throws -> [TimelineEntry] {
        try await Self.log.all(of: caseID, on: sql, TimelineEntry.init)
    }

    func page(caseID: String, after cursor: Cursor?, limit: Int, on sql: any SQLDatabase) async throws -> Page<TimelineEntry> {
        try await Self.log.page(of: caseID, after: cursor, limit: limit, on: sql, TimelineEntry.init)
    }
}
