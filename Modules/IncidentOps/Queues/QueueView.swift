import Foundation
import JSONCoding
import Kernel
import SQLKit

/// A case in a queue view: the case and the instant its soonest clock falls due.
public struct QueuedCase: Codable, Sendable, Hashable {
    public let incident: IncidentCase
    /// nil when no clock is running (all paused or stopped).
    public let nextDueAt: Date?

    public init(incident: IncidentCase, nextDueAt: Date?) {
        self.incident = incident
        self.nextDueAt = nextDueAt
    }
}

extension CaseService {
    /// The open cases of a queue, soonest SLA due first, by cursor: what an analyst works from.
    public func queueView(queueID: String, page: PageRequest, by principal: Principal) async throws -> Page<QueuedCase> {
        try principal.require(IncidentOpsPermissions.caseRead)
        guard let queue = try await QueueStore().find(queueID, on: context.database.sql), principal.canAccess(RegionCode(stored: queue.region)) else {
            throw VigilError.notFound("queue \(queueID)")
        }
        let select = context.database.sql.select().column(SQLRaw(IncidentCase.columns + ", next_due_at")).from(CaseStore.table)
            .where("queue_id", .equal, queue.id)
            .where("status", .notIn, [CaseStatus.resolved.rawValue, CaseStatus.closed.rawValue])
        select.whereCases(
            match: CaseFilter(),
            hidingSensitiveFrom: principal.has(IncidentOpsPermissions.caseReadSensitive)
                ? nil : (actor: principal.actor, userID: principal.userID?.lowercased))
        try select.keyset([.ascending("next_due_at"), .ascending("id")], after: page.after, limit: page.limit)
        let rows = try await select.all().map { row -> (QueuedCase, Int64) in
            let due = try row.decode(column: "next_due_at", as: Int64.self)
            return (QueuedCase(incident: try IncidentCase(row: row), nextDueAt: due == Int64.max ? nil : Date(epochMicros: due)), due)
        }
        let items = rows.map(\.0)
        guard items.count > page.limit else { return Page(items: items, nextCursor: nil) }
        let last = rows[page.limit - 1]
        return Page(items: Array(items.prefix(page.limit)), nextCursor: Cursor([.integer(last.1), .text(last.0.incident.id)]).encoded)
    }
}

extension QueuedCase: JSONWritable {
    /// The Codable form written by hand: a queue view writes fifty of these per refresh.
    public func writeJSON(to buffer: inout JSONBuffer) {
        buffer.beginObject()
        buffer.key("incident")
        incident.writeJSON(to: &buffer)
        buffer.date("nextDueAt", nextDueAt)
        buffer.endObject()
    }
}
