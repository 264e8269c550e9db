import Foundation
import JSONCoding
import Kernel
import SQLKit

extension CaseService {
    var escalations: EscalationService { EscalationService(context: context) }

    /// Intake's escalation rules: severity at or above the region's threshold, or a listed category.
    func escalateAtIntake(_ incident: IncidentCase, in tx: Transaction) async throws {
        let policy = try await EscalationPolicy.cached(region: incident.region.rawValue, context: context, on: tx.sql)
        if let threshold = policy.severityAtOrAbove, incident.severity <= threshold {
            try await escalations.raise(incident, trigger: .severity, reason: "\(incident.severity.rawValue) case", in: tx)
        } else if policy.categories.contains(incident.category) {
            try await escalations.raise(incident, trigger: .category, reason: "\(incident.category) case", in: tx)
        }
    }

    var reopenWindowDays: Int {
        context.config.int(forKey: "lifecycle.reopen-window-days", default: CaseLifecycle.defaultReopenWindowDays)
    }

    /// Moves a case through its lifecycle at the version the caller read, with its timeline entry,
    /// audit record and `incident-ops.case.status-changed` event in the same transaction.
    public func transition(_ key: String, _ input: TransitionInput, expectedVersion: Int, by invocation: Invocation) async throws -> IncidentCase {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        let request = try input.parsed()
        if request.target == .escalated { try principal.require(IncidentOpsPermissions.caseEscalate) }
        let windowDays = reopenWindowDays
        return try await context.transaction(invocation) { tx in
            let current = try await loadForChange(key, expectedVersion: expectedVersion, principal: principal, on: tx.sql)
            try CaseLifecycle.check(
                current, to: request.target, waitingOn: request.waitingOn, resolution: request.resolution, now: tx.now, reopenWindowDays: windowDays)
            if request.target == .closed {
                try await sops.requireSettled(caseID: current.id, on: tx.sql)
                try await requireChildrenClosed(current, on: tx.sql)
            }
            let next = CaseLifecycle.apply(current, to: request.target, waitingOn: request.waitingOn, resolution: request.resolution, now: tx.now)
            _ = try await tx.updateVersioned(
                table: CaseStore.table, id: current.id, expectedVersion: expectedVersion, entity: "case \(key)",
                assignments: [
                    ("status", next.status.rawValue), ("waiting_on", next.waitingOn?.rawValue), ("resolution_code", next.resolutionCode?.rawValue),
                    ("resolved_at", next.resolvedAt?.epochMicros), ("closed_at", next.closedAt?.epochMicros), ("reopen_count", next.reopenCount),
                    ("updated_at", tx.now.epochMicros),
                ]
            )
            var details: [String: JSONValue] = ["from": .string(current.status.rawValue), "to": .string(next.status.rawValue)]
            if let waiting = next.waitingOn { details["waitingOn"] = .string(waiting.rawValue) }
            if let resolution = next.resolutionCode { details["resolutionCode"] = .string(resolution.rawValue) }
            try await appendTimeline(caseID: current.id, kind: .status, visibility: .internal, text: request.note, details: .object(details), in: tx)
            try await sla.apply(.statusChanged(from: current.status, to: next.status), caseID: current.id, in: tx)
            if next.status == .escalated {
                try await escalations.raise(next, trigger: .manual, reason: request.note ?? "escalated by \(tx.principal.actor)", in: tx)
            }
            if [.resolved, .closed].contains(next.status) { try await escalations.closeAll(caseID: current.id, in: tx) }
            if let assignee = current.assignee {
                let closing = [.resolved, .closed].contains(next.status) && ![.resolved, .closed].contains(current.status)
                let reopening = [.resolved, .closed].contains(current.status) && next.status == .inProgress
                if closing {
                    try await releaseAndRefill(assignee, region: current.region, in: tx)
                } else if reopening {
                    // The reopened case counts against its analyst again, whatever their load.
                    try await tx.sql.raw("UPDATE incident_analysts SET active_cases = active_cases + 1 WHERE user_id = \(bind: assignee)").run()
                }
            }
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.transition", entity: current.entity, region: current.region,
                    changes: try FieldChange.diff(before: current.auditView, after: next.auditView)))
            try await tx.publish(
                CaseStatusChanged(
                    caseId: current.id, reference: current.reference, region: current.region.rawValue,
                    from: current.status.rawValue, to: next.status.rawValue,
                    waitingOn: next.waitingOn?.rawValue, resolutionCode: next.resolutionCode?.rawValue),
                subject: current.entity, region: current.region)
            return next
        }
    }

    /// Adds a note to a case's timeline. Notes do not change the case, so they need no version.
    public func addNote(_ key: String, _ input: NoteInput, by invocation: Invocation) async throws -> TimelineEntry {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.caseUpdate)
        let note = try input.validated()
        return try await context.transaction(invocation) { tx in
            guard let incident = try await store.find(key, on: tx.sql), isVisible(incident, to: principal) else {
                throw VigilError.notFound("case \(key)")
            }
            let entry = try await appendTimeline(caseID: incident.id, kind: .note, visibility: note.visibility, text: note.text, details: .object([:]), in: tx)
            try await sla.apply(.noteAdded, caseID: incident.id, in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.note", entity: incident.entity, region: incident.region,
                    changes: [
                        FieldChange(field: "note", before: nil, after: .string(note.text)),
                        FieldChange(field: "visibility", before: nil, after: .string(note.visibility.rawValue)),
                    ]))
            try await tx.publish(
                CaseNoteAdded(caseId: incident.id, reference: incident.reference, region: incident.region.rawValue, visibility: note.visibility.rawValue),
                subject: incident.entity, region: incident.region)
            return entry
        }
    }

    /// A case's timeline, oldest first, by cursor.
    public func timeline(_ key: String, page: PageRequest, by principal: Principal) async throws -> Page<TimelineEntry> {
        let incident = try await get(key, by: principal)
        let found = try await TimelineStore().page(caseID: incident.id, after: page.after, limit: page.limit, on: context.database.sql)
        return Page(items: try await visibleEntries(found.items, to: principal), nextCursor: found.nextCursor)
    }

    /// Entries that name another case (a link, a merge) only when the reader may see that case
    /// too: a timeline must not tell of a sensitive or another region's case. The page keeps its
    /// cursor, so paging stays correct when an entry is left out.
    func visibleEntries(_ entries: [TimelineEntry], to principal: Principal) async throws -> [TimelineEntry] {
        var visible: [TimelineEntry] = []
        var known: [String: Bool] = [:]
        for entry in entries {
            var allowed = true
            for reference in Self.casesNamed(by: entry) {
                if known[reference] == nil {
                    known[reference] = try await store.find(reference, on: context.database.sql).map { isVisible($0, to: principal) } ?? true
                }
                allowed = allowed && known[reference]!
            }
            if allowed { visible.append(entry) }
        }
        return visible
    }

    /// The other cases an entry names: a link's cases, the survivor a duplicate was merged into.
    static func casesNamed(by entry: TimelineEntry) -> [String] {
        var references: [String] = []
        if case .object(let details) = entry.details {
            for key in ["other", "source", "target"] { if case .string(let reference)? = details[key] { references.append(reference) } }
        }
        if let text = entry.text, text.hasPrefix("merged into ") { references.append(String(text.dropFirst("merged into ".count))) }
        return references
    }

    /// The current case for a versioned change: visible to the caller and at the version read.
    func loadForChange(_ key: String, expectedVersion: Int, principal: Principal, on sql: any SQLDatabase) async throws -> IncidentCase {
        guard let current = try await store.find(key, on: sql), isVisible(current, to: principal) else {
            throw VigilError.notFound("case \(key)")
        }
        guard current.version == expectedVersion else { throw VigilError.stale(expected: expectedVersion, current: current.version) }
        return current
    }

    @discardableResult
    func appendTimeline(caseID: String, kind: TimelineEntry.Kind, visibility: TimelineEntry.Visibility, text: String?, details: JSONValue, in tx: Transaction)
        async throws -> TimelineEntry
    {
        let entry = TimelineEntry(
            id: context.ids.next().lowercased, caseId: caseID, at: tx.now, actor: tx.principal.actor, kind: kind,
            visibility: visibility, text: text, details: details)
        try await TimelineStore().append(entry, on: tx.sql)
        return entry
    }
}
