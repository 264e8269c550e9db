import Calendars
import Foundation
import Kernel
import SQLKit

extension CaseService {
    var sla: SLAEngine { SLAEngine(context: context) }

    /// A case's clocks as they stand now.
    public func clocks(_ key: String, by principal: Principal) async throws -> [SLAClockView] {
        let incident = try await get(key, by: principal)
        let now = context.clock.now()
        return try await SLAClockStore().clocks(of: incident.id, on: context.database.sql).map { SLAClockView($0, now: now) }
    }

    /// An analyst acknowledges the case: the acknowledge clock stops. Acknowledging twice changes nothing.
    public func acknowledge(_ key: String, by invocation: Invocation) async throws -> [SLAClockView] {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        return try await context.transaction(invocation) { tx in
            guard let incident = try await store.find(key, on: tx.sql), isVisible(incident, to: principal) else {
                throw VigilError.notFound("case \(key)")
            }
            let before = try await SLAClockStore().clocks(of: incident.id, on: tx.sql)
            if let acknowledge = before.first(where: { $0.kind == .acknowledge }), !acknowledge.isStopped {
                try await appendTimeline(caseID: incident.id, kind: .acknowledged, visibility: .internal, text: nil, details: .object([:]), in: tx)
                try await sla.apply(.acknowledged, caseID: incident.id, in: tx)
                try await tx.audit(
                    AuditEntry(
                        action: "incident-ops.case.acknowledge", entity: incident.entity, region: incident.region,
                        changes: [FieldChange(field: "acknowledgedAt", before: nil, after: .string(ISO8601.format(tx.now)))]))
            }
            return try await SLAClockStore().clocks(of: incident.id, on: tx.sql).map { SLAClockView($0, now: tx.now) }
        }
    }

    /// Compares stored clocks with their recomputation from the timeline, for one case or for the
    /// most recent `limit` cases.
    public func checkClocks(_ key: String?, limit: Int = 1_000, by principal: Principal) async throws -> (checked: Int, mismatches: [SLAReplay.Mismatch]) {
        try principal.require(IncidentOpsPermissions.slaManage)
        let ids: [String]
        if let key {
            ids = [try await get(key, by: principal).id]
        } else {
            // Only the cases the caller may see: the count and the mismatches name cases.
            var query: SQLQueryString = "SELECT id FROM incident_cases WHERE 1 = 1"
            if let regions = principal.regions.filter { query += " AND region IN (\(binds: regions.map(\.rawValue)))" }
            if !principal.has(IncidentOpsPermissions.caseReadSensitive) {
                query += " AND (sensitive = \(bind: false) OR created_by = \(bind: principal.actor) OR assignee = \(bind: principal.userID?.lowercased ?? "-"))"
            }
            query += " ORDER BY created_at DESC LIMIT \(bind: limit)"
            ids = try await context.database.sql.raw(query).all().map { try $0.decode(column: "id", as: String.self) }
        }
        let now = context.clock.now()
        var mismatches: [SLAReplay.Mismatch] = []
        for id in ids {
            let entries = try await TimelineStore().all(caseID: id, on: context.database.sql)
            let stored = try await SLAClockStore().clocks(of: id, on: context.database.sql)
            mismatches += SLAReplay.compare(stored: stored, recomputed: try SLAReplay.recompute(entries, now: now), now: now)
        }
        return (ids.count, mismatches)
    }
}
