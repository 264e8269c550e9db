import Calendars
import Foundation
import Kernel
import SQLKit

/// Finds running ticket clocks past their deadline, marks them breached and tells everyone (an
/// event and a history line), from the partial index of clocks still to watch.
public struct TicketSLAScanner: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    /// Returns how many clocks breached in this pass.
    @discardableResult
    public func scan(limit: Int = 500) async throws -> Int {
        let now = context.clock.now()
        let due = try await context.database.sql.raw(
            """
            SELECT c.ticket_id, c.kind, c.due_at, t.reference, t.priority, t.region FROM it_ticket_clocks c JOIN it_tickets t ON t.id = c.ticket_id
            WHERE c.running_since IS NOT NULL AND c.breached_at IS NULL AND c.due_at <= \(bind: now.epochMicros)
            ORDER BY c.due_at LIMIT \(unsafeRaw: String(limit))
            """
        ).all()
        guard !due.isEmpty else { return 0 }
        let invocation = Invocation(principal: .system("it-sla-scanner", permissions: []), channel: .job, requestID: "it-sla-\(now.epochMicros)")
        return try await context.transaction(invocation) { tx in
            var breached = 0
            for row in due {
                let ticket = try row.decode(column: "ticket_id", as: String.self)
                let kind = try row.decode(column: "kind", as: String.self)
                let dueAt = try row.decode(column: "due_at", as: Int64.self)
                // Conditional: a ticket paused or resolved since the read keeps its state.
                let marked = try await tx.sql.raw(
                    """
                    UPDATE it_ticket_clocks SET breached_at = \(bind: dueAt)
                    WHERE ticket_id = \(bind: ticket) AND kind = \(bind: kind) AND running_since IS NOT NULL AND breached_at IS NULL RETURNING ticket_id
                    """
                ).first()
                guard marked != nil else { continue }
                breached += 1
                let reference = try row.decode(column: "reference", as: String.self)
                try await TicketHistory.append(
                    ticket: ticket, kind: .slaBreach, text: "time to \(kind) passed its deadline",
                    details: .object(["clock": .string(kind), "dueAt": .string(ISO8601.format(Date(epochMicros: dueAt)))]), ids: context.ids, in: tx)
                try await tx.publish(
                    TicketSLABreached(
                        ticketId: ticket, reference: reference, clock: kind, dueAt: Date(epochMicros: dueAt),
                        priority: try row.decode(column: "priority", as: String.self)),
                    subject: EntityRef("it-service-desk.ticket", ticket), region: RegionCode(stored: try row.decode(column: "region", as: String.self)))
            }
            return breached
        }
    }
}

/// SLA targets per ticket type and priority.
public struct SLATargetService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func targets(by principal: Principal) async throws -> [SLATarget] {
        try principal.require(ITServiceDeskPermissions.ticketRead)
        var all: [SLATarget] = []
        for type in TicketType.allCases {
            for priority in TicketRules.priorities { all.append(try await SLATargetStore.target(type: type, priority: priority, on: context.database.sql)) }
        }
        return all
    }

    /// Sets one target; applies to tickets opened from now on (running clocks keep their terms).
    public func set(type: String, priority: String, ownMinutes: Int, resolveMinutes: Int, by invocation: Invocation) async throws -> SLATarget {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        var validator = Validator()
        let ticketType = TicketType(rawValue: type)
        validator.check(ticketType != nil, "type", .notAllowed, "must be one of \(TicketType.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(TicketRules.priorities.contains(priority), "priority", .notAllowed, "must be one of \(TicketRules.priorities.joined(separator: ", "))")
        validator.check((1...100_000).contains(ownMinutes), "ownMinutes", .outOfRange, "must be 1 to 100000 business minutes")
        validator.check((1...1_000_000).contains(resolveMinutes), "resolveMinutes", .outOfRange, "must be 1 to 1000000 business minutes")
        validator.check(resolveMinutes >= ownMinutes, "resolveMinutes", .outOfRange, "cannot be shorter than the time to own")
        try validator.finish()
        let before = try await SLATargetStore.target(type: ticketType!, priority: priority, on: context.database.sql)
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_sla_targets (type, priority, own_minutes, resolve_minutes, updated_at)
                VALUES (\(bind: type), \(bind: priority), \(bind: ownMinutes), \(bind: resolveMinutes), \(bind: tx.now.epochMicros))
                ON CONFLICT (type, priority) DO UPDATE SET own_minutes = excluded.own_minutes, resolve_minutes = excluded.resolve_minutes, updated_at = excluded.updated_at
                """
            ).run()
            let after = SLATarget(type: ticketType!, priority: priority, ownMinutes: ownMinutes, resolveMinutes: resolveMinutes, isDefault: false)
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.sla-target.set", entity: EntityRef("it-service-desk.sla-target", "\(type)/\(priority)"), region: nil,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }
}
