import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Raising escalations (by rule or by hand), climbing their chains on time, acknowledging and
/// closing them, and the coordinator's inbox.
public struct EscalationService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    /// Raises an escalation for a case unless one is already open for it. S1 intake reaches the
    /// first two levels at once.
    @discardableResult
    func raise(_ incident: IncidentCase, trigger: Escalation.Trigger, reason: String, in tx: Transaction) async throws -> Escalation? {
        let existing = try await tx.sql.raw("SELECT id FROM incident_escalations WHERE case_id = \(bind: incident.id) AND state <> 'closed'").first()
        if existing != nil { return nil }
        let policy = try await EscalationPolicy.load(region: incident.region.rawValue, on: tx.sql)
        guard !policy.levels.isEmpty else { return nil }
        let startLevel = trigger == .severity && incident.severity == .s1 ? min(2, policy.levels.count) : 1
        let roles = policy.levels.prefix(startLevel).map(\.role.rawValue)
        let wait = policy.levels[startLevel - 1].waitMinutes
        let escalation = Escalation(
            id: context.ids.next().lowercased, caseId: incident.id, region: incident.region.rawValue, trigger: trigger, reason: reason,
            level: startLevel, targetRoles: roles, raisedAt: tx.now, raisedBy: tx.principal.actor,
            nextLevelAt: wait.map { tx.now.addingTimeInterval(Double($0) * 60) })
        // One raw statement, as the case insert: an S1 case raises its escalation inside intake,
        // on the single SQLite writer, where `SQLInsertBuilder` serializing 16 named columns cost
        // intake several percent (BENCHMARKS.md, Kernel 2). The columns are named beside their values.
        try await tx.sql.raw(
            """
            INSERT INTO incident_escalations (
                id, case_id, region, trigger_kind, reason, level, target_roles, state, raised_at, raised_by, level_since, next_level_at)
            VALUES (
                \(bind: escalation.id), \(bind: escalation.caseId), \(bind: escalation.region), \(bind: trigger.rawValue), \(bind: reason),
                \(bind: escalation.level), \(bind: CommaList.stored(roles)), 'open', \(bind: tx.now.epochMicros), \(bind: escalation.raisedBy),
                \(bind: tx.now.epochMicros), \(bind: escalation.nextLevelAt?.epochMicros))
            """
        ).run()
        try await notify(escalation, what: "raised", in: tx)
        return escalation
    }

    /// Tells the roles of the current level (and who of them is on shift) and records it.
    private func notify(_ escalation: Escalation, what: String, in tx: Transaction) async throws {
        let onShift = try await onShift(region: escalation.region, roles: escalation.targetRoles, at: tx.now, on: tx.sql)
        let entity = EntityRef("incident-ops.case", escalation.caseId)
        try await TimelineStore().append(
            TimelineEntry(
                id: context.ids.next().lowercased, caseId: escalation.caseId, at: tx.now, actor: tx.principal.actor, kind: .escalation, visibility: .internal,
                text: escalation.reason,
                details: .object([
                    "escalation": .string(escalation.id), "what": .string(what), "trigger": .string(escalation.trigger.rawValue),
                    "level": .integer(Int64(escalation.level)),
                    "roles": .array(escalation.targetRoles.map(JSONValue.string)), "onShift": .array(onShift.map(JSONValue.string)),
                ])), on: tx.sql)
        try await tx.publish(
            EscalationNotice(
                escalationId: escalation.id, caseId: escalation.caseId, region: escalation.region, level: escalation.level,
                roles: escalation.targetRoles, onShift: onShift, what: what),
            subject: entity, region: RegionCode(stored: escalation.region))
        try await tx.audit(
            AuditEntry(
                action: "incident-ops.escalation.\(what)", entity: EntityRef("incident-ops.escalation", escalation.id),
                region: RegionCode(stored: escalation.region),
                changes: [
                    FieldChange(field: "level", before: nil, after: .integer(Int64(escalation.level))),
                    FieldChange(field: "roles", before: nil, after: .string(escalation.targetRoles.joined(separator: ","))),
                ], isCreation: what == "raised"))
    }

    func onShift(region: String, roles: [String], at now: Date, on sql: any SQLDatabase) async throws -> [String] {
        guard !roles.isEmpty else { return [] }
        let roleList = SQLGroupExpression(roles.map { SQLBind($0) as any SQLExpression })
        return try await sql.raw(
            """
            SELECT DISTINCT COALESCE(a.actor, s.user_id) AS who FROM incident_shifts s LEFT JOIN incident_analysts a ON a.user_id = s.user_id
            WHERE s.region = \(bind: region) AND s.role IN \(roleList) AND s.starts_at <= \(bind: now.epochMicros) AND s.ends_at > \(bind: now.epochMicros)
            ORDER BY who
            """
        ).all().map { try $0.decode(column: "who", as: String.self) }
    }

    /// Climbs every open escalation whose level went unacknowledged for its wait; returns how many.
    @discardableResult
    public func advanceDue() async throws -> Int {
        let invocation = Invocation(
            principal: .system("escalation-chain", permissions: []), channel: .job, requestID: "escalations-\(context.ids.next().lowercased)")
        return try await context.database.transaction(domain: context.domain, invocation: invocation, now: context.clock.now()) { tx in
            let due = try await tx.sql.raw(
                """
                SELECT \(unsafeRaw: Escalation.columns) FROM incident_escalations
                WHERE next_level_at <= \(bind: tx.now.epochMicros) AND state = 'open' ORDER BY next_level_at LIMIT 500
                """
            ).all().map(Escalation.init(row:))
            for var escalation in due {
                let policy = try await EscalationPolicy.load(region: escalation.region, on: tx.sql)
                guard policy.levels.indices.contains(escalation.level) else {
                    try await tx.sql.raw("UPDATE incident_escalations SET next_level_at = NULL WHERE id = \(bind: escalation.id)").run()
                    continue
                }
                let next = policy.levels[escalation.level]
                escalation.level += 1
                escalation.targetRoles = [next.role.rawValue]
                escalation.levelSince = tx.now
                escalation.nextLevelAt = next.waitMinutes.map { tx.now.addingTimeInterval(Double($0) * 60) }
                try await tx.sql.raw(
                    """
                    UPDATE incident_escalations SET level = \(bind: escalation.level), target_roles = \(bind: CommaList.stored(escalation.targetRoles)),
                        level_since = \(bind: tx.now.epochMicros), next_level_at = \(bind: escalation.nextLevelAt?.epochMicros)
                    WHERE id = \(bind: escalation.id) AND state = 'open'
                    """
                ).run()
                try await notify(escalation, what: "level-changed", in: tx)
            }
            return due.count
        }
    }

    public func acknowledge(_ id: String, by invocation: Invocation) async throws -> Escalation {
        try invocation.principal.require(IncidentOpsPermissions.escalationRespond)
        return try await change(id, by: invocation) { escalation, tx in
            guard escalation.state == .open else { throw VigilError(.conflict, "the escalation is \(escalation.state.rawValue) already") }
            escalation.state = .acknowledged
            escalation.acknowledgedAt = tx.now
            escalation.acknowledgedBy = tx.principal.actor
            escalation.nextLevelAt = nil
            return "acknowledged"
        }
    }

    /// De-escalates: the escalation ends without climbing further.
    public func close(_ id: String, reason: String?, by invocation: Invocation) async throws -> Escalation {
        try invocation.principal.require(IncidentOpsPermissions.caseAssign)
        return try await change(id, by: invocation) { escalation, tx in
            guard escalation.state != .closed else { throw VigilError(.conflict, "the escalation is closed already") }
            escalation.state = .closed
            escalation.closedAt = tx.now
            escalation.closedBy = tx.principal.actor
            escalation.nextLevelAt = nil
            return "closed"
        }
    }

    /// An escalation shows its case's id and why it escalated, so it is visible exactly when its
    /// case is: a sensitive case's escalations only to those who may see the case.
    static func caseVisible(to principal: Principal) -> SQLQueryString {
        CaseVisibility.condition("incident_escalations", for: principal)
    }

    private func change(_ id: String, by invocation: Invocation, _ body: @escaping @Sendable (inout Escalation, Transaction) throws -> String) async throws
        -> Escalation
    {
        try await context.transaction(invocation) { tx in
            let query: SQLQueryString =
                "SELECT \(unsafeRaw: Escalation.columns) FROM incident_escalations WHERE id = \(bind: id)" + Self.caseVisible(to: invocation.principal)
            guard var escalation = try await tx.sql.raw(query).first().map(Escalation.init(row:)),
                invocation.principal.canAccess(RegionCode(stored: escalation.region))
            else {
                throw VigilError.notFound("escalation \(id)")
            }
            let before = escalation
            let what = try body(&escalation, tx)
            try await tx.sql.raw(
                """
                UPDATE incident_escalations SET state = \(bind: escalation.state.rawValue), next_level_at = \(bind: escalation.nextLevelAt?.epochMicros),
                    acknowledged_at = \(bind: escalation.acknowledgedAt?.epochMicros), acknowledged_by = \(bind: escalation.acknowledgedBy),
                    closed_at = \(bind: escalation.closedAt?.epochMicros), closed_by = \(bind: escalation.closedBy)
                WHERE id = \(bind: id)
                """
            ).run()
            try await TimelineStore().append(
                TimelineEntry(
                    id: context.ids.next().lowercased, caseId: escalation.caseId, at: tx.now, actor: tx.principal.actor, kind: .escalation,
                    visibility: .internal,
                    text: nil, details: .object(["escalation": .string(id), "what": .string(what), "level": .integer(Int64(escalation.level))])), on: tx.sql)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.escalation.\(what)", entity: EntityRef("incident-ops.escalation", id), region: RegionCode(stored: escalation.region),
                    changes: try FieldChange.diff(before: before, after: escalation)))
            return escalation
        }
    }

    /// Closes the open escalations of a case that was resolved or closed.
    func closeAll(caseID: String, in tx: Transaction) async throws {
        try await tx.sql.raw(
            """
            UPDATE incident_escalations SET state = 'closed', closed_at = \(bind: tx.now.epochMicros), closed_by = \(bind: tx.principal.actor), next_level_at = NULL
            WHERE case_id = \(bind: caseID) AND state <> 'closed'
            """
        ).run()
    }

    /// The coordinator's inbox: escalations of the regions one sees, oldest first.
    public static let inboxLimit = 500

    public func inbox(region: RegionCode?, state: Escalation.State?, limit: Int = inboxLimit, by principal: Principal) async throws -> [Escalation] {
        try principal.require(IncidentOpsPermissions.caseRead)
        let state = state ?? .open
        let limit = max(1, min(limit, Self.inboxLimit))
        // Who sees which sensitive cases: everyone with the permission alike, others by their own.
        let viewer = principal.has(IncidentOpsPermissions.caseReadSensitive) ? "all" : principal.actor
        let read = { @Sendable [context] () async throws -> [Escalation] in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Escalation.columns) FROM incident_escalations WHERE state = \(bind: state.rawValue)"
            if let region { query += " AND region = \(bind: region.rawValue)" }
            query += Self.caseVisible(to: principal)
            query += " ORDER BY raised_at LIMIT \(bind: limit)"
            return try await context.database.sql.raw(query).all().map(Escalation.init(row:))
        }
        // A region's inbox is what each of its dashboards shows: read once per change.
        let found: [Escalation]
        if let region {
            found = try await context.database.snapshots.value("incident-ops.escalations \(region.rawValue) \(state.rawValue) \(limit) \(viewer)", read)
        } else {
            found = try await read()
        }
        return found.filter { principal.canAccess(RegionCode(stored: $0.region)) }
    }
}
