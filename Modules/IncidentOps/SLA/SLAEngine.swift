import Foundation
import JSONCoding
import Kernel
import SQLKit

/// The live side of SLA clocks: starts them at intake, moves them as the case changes (inside the
/// case's own transaction) and records every move on the case's timeline.
struct SLAEngine: Sendable {
    let context: DomainContext
    let clocks = SLAClockStore()
    let policies = SLAPolicyStore()

    /// The three clocks of a new case from the policy in force, worked out before the case row is
    /// written so that the row goes in with its next due instant. `snapshot` (their targets and
    /// calendar) goes on the case's opening timeline entry so the clocks can be recomputed from the
    /// timeline alone.
    struct Start: Sendable {
        let clocks: [SLAClock]
        let snapshot: JSONValue
        var nextDueAt: Date? { clocks.compactMap(\.dueAt).min() }
    }

    func plan(for incident: IncidentCase, on sql: any SQLDatabase) async throws -> Start {
        let key = DeskCaches.key(incident.region.rawValue, incident.businessLine.rawValue, incident.severity.rawValue)
        let policy = try await DeskCaches.slaPolicies.value(key, database: context.database, now: context.clock.now()) {
            try await policies.find(region: incident.region.rawValue, businessLine: incident.businessLine, severity: incident.severity, on: sql)
        }
        let calendar = try await calendar(for: policy, region: incident.region)
        let started = SLAClockKind.allCases.map { kind in
            SLAClock(
                caseId: incident.id, kind: kind, region: incident.region.rawValue, targetSeconds: policy.targetSeconds(kind),
                warningPercent: policy.warningPercent, calendar: calendar, startedAt: incident.createdAt)
        }
        let snapshot = JSONValue.array(
            try started.map { clock in
                .object([
                    "kind": .string(clock.kind.rawValue), "targetSeconds": .integer(clock.targetSeconds),
                    "warningPercent": .integer(Int64(clock.warningPercent)), "calendar": try JSONValueEncoder.encode(clock.calendar),
                ])
            })
        return Start(clocks: started, snapshot: .object(["policy": .string(policy.isDefault ? "built-in" : "region"), "clocks": snapshot]))
    }

    /// Writes the planned clocks of a case whose row (with `nextDueAt`) is already in.
    func start(_ start: Start, in tx: Transaction) async throws {
        try await clocks.insert(start.clocks, on: tx.sql)
    }

    func calendar(for policy: SLAPolicy, region: RegionCode) async throws -> SLACalendar {
        guard policy.calendar == "business" else { return .always }
        let info = try await context.regions.region(region)
        return .businessHours(timeZone: info?.timeZone ?? "UTC", holidays: info?.holidays ?? [])
    }

    /// Applies a trigger to a case's clocks and records what moved.
    func apply(_ trigger: SLATrigger, caseID: String, in tx: Transaction) async throws {
        var current = try await clocks.clocks(of: caseID, on: tx.sql)
        let changes = SLARules.apply(trigger, to: &current, at: tx.now)
        guard !changes.isEmpty else { return }
        for clock in current where changes.contains(where: { $0.kind == clock.kind }) {
            try await clocks.save(clock, on: tx.sql)
        }
        try await clocks.refreshCase(caseID, on: tx.sql)
        try await appendTimeline(
            caseID: caseID,
            details: .object([
                "event": .string("moved"),
                "changes": .array(changes.map { .object(["clock": .string($0.kind.rawValue), "action": .string($0.action.rawValue)]) }),
            ]), in: tx)
    }

    func appendTimeline(caseID: String, details: JSONValue, in tx: Transaction) async throws {
        try await TimelineStore().append(
            TimelineEntry(
                id: context.ids.next().lowercased, caseId: caseID, at: tx.now, actor: tx.principal.actor,
                kind: .sla, visibility: .internal, text: nil, details: details), on: tx.sql)
    }
}
