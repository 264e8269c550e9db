import Calendars
import Foundation
import Kernel
import SQLKit

/// Marks warnings and breaches as they happen, not only when someone looks: a background pass
/// finds running clocks whose warning or due instant has passed, records the exact instant, and
/// publishes `incident-ops.sla.warning` / `incident-ops.sla.breached`. Its first pass runs when
/// the server starts, so a breach that happened while it was down is detected then.
struct SLAScanner: Sendable {
    let context: DomainContext
    let batchSize: Int

    init(context: DomainContext, batchSize: Int = 200) {
        self.context = context
        self.batchSize = batchSize
    }

    /// One pass; returns how many warnings and breaches it recorded.
    @discardableResult
    func scan() async throws -> (warnings: Int, breaches: Int) {
        var warnings = 0
        var breaches = 0
        let invocation = Invocation(principal: .system("sla-scanner", permissions: []), channel: .job, requestID: "sla-scan-\(context.ids.next().lowercased)")
        while true {
            let now = context.clock.now()
            let due = try await SLAClockStore().due(at: now, limit: batchSize, on: context.database.sql)
            if due.isEmpty { break }
            let counts = try await context.database.transaction(domain: context.domain, invocation: invocation, now: now) { tx in
                try await record(due, in: tx)
            }
            warnings += counts.warnings
            breaches += counts.breaches
            if due.count < batchSize { break }
        }
        return (warnings, breaches)
    }

    private func record(_ due: [SLAClock], in tx: Transaction) async throws -> (warnings: Int, breaches: Int) {
        var warnings = 0
        var breaches = 0
        let store = SLAClockStore()
        for stale in due {
            // Re-read inside the transaction: the case may have moved since the scan query.
            guard var clock = try await store.clocks(of: stale.caseId, on: tx.sql).first(where: { $0.kind == stale.kind }) else { continue }
            let dueAt = clock.dueAt
            let crossings = clock.markCrossings(upTo: tx.now)
            guard !crossings.isEmpty else { continue }
            try await store.save(clock, on: tx.sql)
            try await store.refreshCase(clock.caseId, on: tx.sql)
            let entity = EntityRef("incident-ops.case", clock.caseId)
            let region = RegionCode(stored: clock.region)
            for crossing in crossings {
                switch crossing {
                case .warning(let at):
                    warnings += 1
                    try await SLAEngine(context: context).appendTimeline(
                        caseID: clock.caseId,
                        details: .object([
                            "event": .string("warning"), "clock": .string(clock.kind.rawValue), "at": .string(ISO8601.format(at)),
                        ]), in: tx)
                    try await tx.publish(
                        SLAWarning(caseId: clock.caseId, clock: clock.kind.rawValue, region: clock.region, warnedAt: at, dueAt: dueAt),
                        subject: entity, region: region)
                case .breach(let at):
                    breaches += 1
                    try await SLAEngine(context: context).appendTimeline(
                        caseID: clock.caseId,
                        details: .object([
                            "event": .string("breached"), "clock": .string(clock.kind.rawValue), "at": .string(ISO8601.format(at)),
                        ]), in: tx)
                    try await tx.publish(
                        SLABreached(caseId: clock.caseId, clock: clock.kind.rawValue, region: clock.region, breachedAt: at, detectedAt: tx.now),
                        subject: entity, region: region)
                }
            }
            try await escalateOnCrossing(clock, crossings, in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.sla.crossing", entity: entity, region: region,
                    changes: crossings.map { crossing in
                        switch crossing {
                        case .warning(let at): FieldChange(field: "\(clock.kind.rawValue).warnedAt", before: nil, after: .string(ISO8601.format(at)))
                        case .breach(let at): FieldChange(field: "\(clock.kind.rawValue).breachedAt", before: nil, after: .string(ISO8601.format(at)))
                        }
                    }))
        }
        return (warnings, breaches)
    }

    /// The region's escalation rules for SLA breaches (and warnings, where they say so).
    private func escalateOnCrossing(_ clock: SLAClock, _ crossings: [SLACrossing], in tx: Transaction) async throws {
        let policy = try await EscalationPolicy.cached(region: clock.region, context: context, on: tx.sql)
        let breached = crossings.contains { if case .breach = $0 { true } else { false } }
        let warned = crossings.contains { if case .warning = $0 { true } else { false } }
        guard (breached && policy.onBreach) || (warned && policy.onWarning) else { return }
        guard let incident = try await CaseStore().find(clock.caseId, on: tx.sql), ![.resolved, .closed].contains(incident.status) else { return }
        try await EscalationService(context: context).raise(
            incident, trigger: breached ? .slaBreach : .slaWarning,
            reason: "\(clock.kind.rawValue) SLA \(breached ? "breached" : "at warning")", in: tx)
    }
}
