import Foundation
import JSONCoding
import Kernel
import SQLKit

extension CaseService {
    var assignment: AssignmentEngine { AssignmentEngine(context: context) }

    /// At intake: routes the new case to its queue and assigns it by the queue's strategy, before
    /// the case row is written, so the row is born with its queue and analyst.
    func routeAtIntake(_ incident: inout IncidentCase, in tx: Transaction) async throws -> (decision: AssignmentDecision, queue: CaseQueue?) {
        let result = try await assignment.autoAssign(incident, in: tx)
        incident.queueId = result.queue?.id
        if let analyst = result.analyst {
            incident.assignee = analyst.userId
            incident.assignedAt = tx.now
            incident.status = .assigned
        }
        return (result.decision, result.queue)
    }

    /// Records an assignment decision on the timeline and tells whoever listens.
    func announce(
        _ decision: AssignmentDecision, queue: CaseQueue?, for incident: IncidentCase, previousAssignee: String?, how: String,
        statusFrom: CaseStatus, in tx: Transaction
    ) async throws {
        var details: [String: JSONValue] = [
            "how": .string(how), "strategy": .string(decision.strategy), "reason": .string(decision.reason), "considered": .integer(Int64(decision.considered)),
            "statusFrom": .string(statusFrom.rawValue), "statusTo": .string(incident.status.rawValue),
        ]
        if let queue = decision.queue { details["queue"] = .string(queue) }
        if let chosen = decision.chosen { details["assignee"] = .string(chosen) }
        if let previousAssignee { details["previousAssignee"] = .string(previousAssignee) }
        try await appendTimeline(caseID: incident.id, kind: .assignment, visibility: .internal, text: nil, details: .object(details), in: tx)
        if let assignee = incident.assignee {
            try await tx.publish(
                CaseAssigned(
                    caseId: incident.id, reference: incident.reference, region: incident.region.rawValue, assignee: assignee,
                    previousAssignee: previousAssignee, how: how), subject: incident.entity, region: incident.region)
        } else if let queue {
            try await tx.publish(
                CaseWaitingInQueue(
                    caseId: incident.id, reference: incident.reference, region: incident.region.rawValue, queue: queue.name,
                    reason: decision.reason), subject: incident.entity, region: incident.region)
        }
    }

    /// A coordinator assigns (or reassigns) a case to an analyst of its region. Capacity holds
    /// unless `overCapacity` says otherwise, which the audit log records.
    public func assign(_ key: String, to email: String, overCapacity: Bool = false, expectedVersion: Int, by invocation: Invocation) async throws
        -> IncidentCase
    {
        try invocation.principal.require(IncidentOpsPermissions.caseAssign)
        guard let person = try await context.people.person(email: email), person.active else {
            throw VigilError.invalid("assignee", .notAllowed, "\(email) is not an active user")
        }
        return try await reassign(
            key, to: person.id.lowercased, how: overCapacity ? "manual, over capacity" : "manual", overCapacity: overCapacity,
            expectedVersion: expectedVersion, by: invocation)
    }

    /// An analyst takes a case for themselves, within their capacity.
    public func claim(_ key: String, expectedVersion: Int, by invocation: Invocation) async throws -> IncidentCase {
        try invocation.principal.require(IncidentOpsPermissions.caseUpdate)
        guard let userID = invocation.principal.userID?.lowercased else {
            throw VigilError(.forbidden, "only a signed-in analyst can claim a case")
        }
        return try await reassign(key, to: userID, how: "claim", overCapacity: false, expectedVersion: expectedVersion, by: invocation)
    }

    private func reassign(_ key: String, to userID: String, how: String, overCapacity: Bool, expectedVersion: Int, by invocation: Invocation) async throws
        -> IncidentCase
    {
        let principal = invocation.principal
        return try await context.transaction(invocation) { tx in
            var incident = try await loadForChange(key, expectedVersion: expectedVersion, principal: principal, on: tx.sql)
            guard ![.resolved, .closed].contains(incident.status) else {
                throw VigilError(.conflict, "a \(incident.status.rawValue) case is not assigned; reopen it first")
            }
            guard
                let analyst = try await tx.sql.raw("SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts WHERE user_id = \(bind: userID)").first().map(
                    Analyst.init(row:))
            else {
                throw VigilError.invalid("assignee", .notAllowed, "this user is not an analyst of the desk (add them with `analyst set`)")
            }
            var validator = Validator()
            validator.check(
                analyst.region == incident.region.rawValue, "assignee", .notAllowed,
                "\(analyst.actor) works in \(analyst.region), the case is in \(incident.region)")
            validator.check(!incident.sensitive || analyst.sensitiveOK, "assignee", .notAllowed, "\(analyst.actor) may not take sensitive cases")
            validator.check(incident.assignee != userID, "assignee", .invalid, "the case is already assigned to \(analyst.actor)")
            try validator.finish()
            if overCapacity {
                try await tx.sql.raw(
                    "UPDATE incident_analysts SET active_cases = active_cases + 1, last_assigned_at = \(bind: tx.now.epochMicros) WHERE user_id = \(bind: userID)"
                ).run()
            } else if !(try await assignment.reserve(analyst, at: tx.now, on: tx.sql)) {
                throw VigilError(.conflict, "\(analyst.actor) is at capacity (\(analyst.capacity) open cases)")
            }
            let previous = incident.assignee
            if let previous { try await assignment.release(previous, on: tx.sql) }
            let before = incident
            incident.assignee = userID
            incident.assignedAt = tx.now
            if [.new, .triaged].contains(incident.status) { incident.status = .assigned }
            incident.updatedAt = tx.now
            incident.version += 1
            _ = try await tx.updateVersioned(
                table: CaseStore.table, id: incident.id, expectedVersion: expectedVersion, entity: "case \(key)",
                assignments: [
                    ("assignee", incident.assignee), ("assigned_at", incident.assignedAt?.epochMicros), ("status", incident.status.rawValue),
                    ("updated_at", tx.now.epochMicros),
                ])
            let decision = AssignmentDecision(
                strategy: "manual", queue: nil, chosen: analyst.actor,
                reason: "\(how) by \(principal.actor); \(analyst.activeCases + 1) of \(analyst.capacity) cases", considered: 1)
            try await announce(decision, queue: nil, for: incident, previousAssignee: previous, how: how, statusFrom: before.status, in: tx)
            try await sla.apply(.statusChanged(from: before.status, to: incident.status), caseID: incident.id, in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.assign", entity: incident.entity, region: incident.region,
                    changes: try FieldChange.diff(before: before.auditView, after: incident.auditView)))
            return incident
        }
    }

    /// After a case leaves an analyst (resolved, closed, reassigned): their freed capacity goes to
    /// the oldest case waiting in a queue of their region, if any.
    func releaseAndRefill(_ userID: String, region: RegionCode, in tx: Transaction) async throws {
        try await assignment.release(userID, on: tx.sql)
        try await assignWaiting(region: region, queueID: nil, limit: 1, in: tx)
    }

    /// Assigns waiting cases (oldest first) while analysts have capacity; returns how many.
    @discardableResult
    func assignWaiting(region: RegionCode, queueID: String?, limit: Int, in tx: Transaction) async throws -> Int {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: IncidentCase.columns) FROM incident_cases
            WHERE region = \(bind: region.rawValue) AND assignee IS NULL AND queue_id IS NOT NULL AND status IN ('new', 'triaged', 'escalated')
            """
        if let queueID { query += " AND queue_id = \(bind: queueID)" }
        query += " ORDER BY created_at, id LIMIT \(bind: limit * 4)"
        var assigned = 0
        for var incident in try await tx.sql.raw(query).all().map(IncidentCase.init(row:)) where assigned < limit {
            let result = try await assignment.autoAssign(incident, in: tx)
            guard let analyst = result.analyst else { continue }
            let before = incident
            incident.assignee = analyst.userId
            incident.assignedAt = tx.now
            if [.new, .triaged].contains(incident.status) { incident.status = .assigned }
            incident.updatedAt = tx.now
            incident.version += 1
            _ = try await tx.updateVersioned(
                table: CaseStore.table, id: incident.id, expectedVersion: before.version, entity: "case \(incident.reference)",
                assignments: [
                    ("assignee", incident.assignee), ("assigned_at", incident.assignedAt?.epochMicros), ("status", incident.status.rawValue),
                    ("updated_at", tx.now.epochMicros),
                ])
            try await announce(
                result.decision, queue: result.queue, for: incident, previousAssignee: nil, how: "automatic (capacity freed)", statusFrom: before.status, in: tx
            )
            try await sla.apply(.statusChanged(from: before.status, to: incident.status), caseID: incident.id, in: tx)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.case.assign", entity: incident.entity, region: incident.region,
                    changes: try FieldChange.diff(before: before.auditView, after: incident.auditView)))
            assigned += 1
        }
        return assigned
    }

    /// Assigns a queue's waiting cases as far as capacity allows.
    public func rebalance(queueID: String, by invocation: Invocation) async throws -> Int {
        try invocation.principal.require(IncidentOpsPermissions.caseAssign)
        guard let queue = try await QueueStore().find(queueID, on: context.database.sql),
            let region = RegionCode(queue.region), invocation.principal.canAccess(region)
        else { throw VigilError.notFound("queue \(queueID)") }
        return try await context.transaction(invocation) { tx in
            try await assignWaiting(region: region, queueID: queue.id, limit: 500, in: tx)
        }
    }
}
