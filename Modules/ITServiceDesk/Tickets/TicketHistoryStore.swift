import EntityHistory
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// What a line of a ticket's history says happened.
public enum TicketHistoryKind: String, Codable, Sendable, CaseIterable {
    case opened, assigned, status, approval, link, survey
    case slaBreach = "sla-breach"
}

/// The ticket's own history lines on the shared history mechanism (the audit log keeps the
/// field-level record).
enum TicketHistory {
    static let log = HistoryLog(table: "it_ticket_history", subject: "ticket_id")

    static func append(ticket: String, kind: TicketHistoryKind, text: String?, details: JSONValue, ids: any IDGenerator, in tx: Transaction) async throws {
        try await log.append(HistoryLine(id: ids.next().lowercased, subject: ticket, kind: kind, text: text, details: details, in: tx), on: tx.sql)
    }

    static func page(ticket: String, after cursor: Cursor?, limit: Int, on sql: any SQLDatabase) async throws -> Page<TicketHistoryEntry> {
        try await log.page(of: ticket, after: cursor, limit: limit, on: sql) { line in
            TicketHistoryEntry(id: line.id, at: line.at, actor: line.actor, kind: try line.kind(TicketHistoryKind.self), text: line.text, details: line.details)
        }
    }
}
