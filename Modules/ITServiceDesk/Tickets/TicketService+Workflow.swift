import Foundation
import Kernel
import SQLKit

extension TicketService {
    /// Moves a ticket along the transition table, keeping its clocks: pending pauses them,
    /// resuming works the deadline out again from the time left, starting work stops time to own,
    /// resolving stops time to resolve, reopening runs it again.
    public func transition(_ key: String, to target: TicketStatus, note: String?, expectedVersion: Int, by invocation: Invocation) async throws -> Ticket {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.ticketWork)
        let ticket = try await get(key, by: principal)
        try context.authorization.requireVisible(principal, region: ticket.regionCode, entity: "ticket \(key)")
        guard TicketRules.allows(ticket.status, target) else {
            let allowed = (TicketRules.transitions[ticket.status] ?? []).map(\.rawValue).sorted()
            throw VigilError(
                .conflict,
                "\(ticket.reference) is \(ticket.status.rawValue) and cannot become \(target.rawValue); "
                    + (allowed.isEmpty ? "it is final" : "it can become \(allowed.joined(separator: ", "))"))
        }
        if ticket.type == .change, target == .inProgress || target == .resolved, ticket.approval != .approved {
            throw VigilError(
                .conflict, "\(ticket.reference) is a change: it is implemented only after an IT manager approves it (approval is \(ticket.approval.rawValue))")
        }
        let pendingReason = target == .pending ? note.flatMap(PendingReason.init(rawValue:)) : nil
        if target == .pending {
            guard pendingReason != nil else {
                throw VigilError.invalid(
                    "note", .notAllowed, "say what the ticket waits for: \(PendingReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if target == .resolved, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw VigilError.invalid("note", .required, "say how it was resolved")
        }
        if target == .cancelled, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw VigilError.invalid("note", .required, "say why it is cancelled")
        }
        guard let site = try await SiteStore.load(id: ticket.siteId, on: context.database.sql) else {
            throw VigilError(.internal, "the ticket's site is missing")
        }
        return try await context.transaction(invocation) { tx in
            if target == .resolved || target == .closed {
                let open = try await tx.sql.raw(
                    """
                    SELECT reference FROM it_tickets WHERE parent_id = \(bind: ticket.id) AND status NOT IN ('resolved', 'closed', 'cancelled') ORDER BY reference LIMIT 20
                    """
                ).all().map { try $0.decode(column: "reference", as: String.self) }
                if !open.isEmpty {
                    throw VigilError(
                        .conflict, "\(ticket.reference) cannot be \(target.rawValue) while its child tickets are open: \(open.joined(separator: ", "))")
                }
            }
            let calendar = site.workingCalendar(at: tx.now)
            var assignments: [(column: String, value: any Encodable & Sendable)] = [("status", target.rawValue), ("updated_at", tx.now.epochMicros)]
            for clock in ticket.clocks {
                let moved: TicketClock =
                    switch (target, clock.kind) {
                    case (.pending, _): clock.paused(at: tx.now, on: calendar)
                    case (.inProgress, .own): clock.stopped(at: tx.now, on: calendar)
                    case (.inProgress, .resolve):
                        ticket.status == .resolved ? clock.restarted(at: tx.now, on: calendar) : clock.resumed(at: tx.now, on: calendar)
                    case (.resolved, _), (.cancelled, _): clock.stopped(at: tx.now, on: calendar)
                    default: clock
                    }
                if moved != clock { try await TicketClockStore.save(moved, ticket: ticket.id, on: tx.sql) }
            }
            switch target {
            case .pending: assignments.append(("pending_reason", pendingReason!.rawValue))
            case .inProgress:
                assignments.append(("pending_reason", String?.none))
                if ticket.status == .resolved {
                    assignments.append(("resolved_at", Int64?.none))
                    if let assignee = ticket.assignee { try await ITAgent.pool.take(assignee, at: nil, on: tx.sql) }
                }
                // Starting work without an assignee: whoever starts it owns it.
                if ticket.assignee == nil, let userID = principal.userID?.lowercased {
                    assignments.append(("assignee", userID))
                    assignments.append(("assignee_actor", principal.actor))
                    try await ITAgent.pool.take(userID, at: tx.now, on: tx.sql)
                }
            case .resolved:
                assignments.append(("resolution", note!))
                assignments.append(("resolved_at", tx.now.epochMicros))
                assignments.append(("pending_reason", String?.none))
                if let assignee = ticket.assignee { try await ITAgent.pool.release(assignee, on: tx.sql) }
            case .cancelled:
                assignments.append(("resolution", note!))
                assignments.append(("closed_at", tx.now.epochMicros))
                if let assignee = ticket.assignee, ticket.status != .resolved { try await ITAgent.pool.release(assignee, on: tx.sql) }
            case .closed: assignments.append(("closed_at", tx.now.epochMicros))
            default: break
            }
            _ = try await tx.updateVersioned(
                table: "it_tickets", id: ticket.id, expectedVersion: expectedVersion, entity: "ticket \(key)", assignments: assignments)
            try await TicketHistory.append(
                ticket: ticket.id, kind: .status, text: note,
                details: .object(["from": .string(ticket.status.rawValue), "to": .string(target.rawValue)]), ids: context.ids, in: tx)
            return try await finish(ticket, change: "status:\(target.rawValue)", action: "it-service-desk.ticket.\(target.rawValue)", site: site, in: tx)
        }
    }

    /// Assigns to a named agent, or again by the group's strategy when `email` is nil.
    public func assign(_ key: String, to email: String?, expectedVersion: Int, by invocation: Invocation) async throws -> Ticket {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.ticketWork)
        let ticket = try await get(key, by: principal)
        try context.authorization.requireVisible(principal, region: ticket.regionCode, entity: "ticket \(key)")
        guard !ticket.status.isDone else { throw VigilError(.conflict, "\(ticket.reference) is \(ticket.status.rawValue); reopen it first") }
        var named: ITAgent?
        if let email {
            guard let person = try await context.people.person(email: email),
                let row = try await context.database.sql.raw(
                    "SELECT \(unsafeRaw: ITAgent.columns) FROM it_agents WHERE user_id = \(bind: person.id.lowercased)"
                ).first()
            else {
                throw VigilError.invalid("assignee", .notAllowed, "\(email) is not an IT agent")
            }
            named = try ITAgent(row: row)
            guard named!.region == ticket.region else {
                throw VigilError.invalid("assignee", .notAllowed, "\(email) works in \(named!.region), not \(ticket.region)")
            }
        }
        let agent = named
        guard let site = try await SiteStore.load(id: ticket.siteId, on: context.database.sql) else {
            throw VigilError(.internal, "the ticket's site is missing")
        }
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_tickets", id: ticket.id, expectedVersion: expectedVersion, entity: "ticket \(key)",
                assignments: [
                    ("assignee", String?.none), ("assignee_actor", String?.none), ("updated_at", tx.now.epochMicros),
                    ("status", ticket.status == .assigned ? TicketStatus.new.rawValue : ticket.status.rawValue),
                ])
            if let previous = ticket.assignee { try await ITAgent.pool.release(previous, on: tx.sql) }
            if let agent {
                // A person choosing overrides capacity: they know the agent's day.
                try await ITAgent.pool.take(agent.userId, at: tx.now, on: tx.sql)
                let status = ticket.status == .new || ticket.status == .assigned ? TicketStatus.assigned : ticket.status
                try await tx.sql.raw(
                    """
                    UPDATE it_tickets SET assignee = \(bind: agent.userId), assignee_actor = \(bind: agent.actor), status = \(bind: status.rawValue) WHERE id = \(bind: ticket.id)
                    """
                ).run()
                try await TicketHistory.append(
                    ticket: ticket.id, kind: .assigned, text: "→ \(agent.actor)",
                    details: .object(["chosen": .string(agent.actor), "reason": .string("assigned by \(principal.actor)")]), ids: context.ids, in: tx)
            } else {
                try await TicketAssigner(context: context).route(try await TicketStore.load(ticket.id, on: tx.sql).orInternal("the ticket"), in: tx)
            }
            return try await finish(ticket, change: "assigned", action: "it-service-desk.ticket.assign", site: site, in: tx)
        }
    }

    /// An IT manager approves or rejects a change; the person who raised it cannot.
    public func decide(_ key: String, approve: Bool, note: String?, expectedVersion: Int, by invocation: Invocation) async throws -> Ticket {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.changeApprove)
        let ticket = try await get(key, by: principal)
        try context.authorization.requireVisible(principal, region: ticket.regionCode, entity: "ticket \(key)")
        guard ticket.type == .change else {
            throw VigilError(
                .conflict, "\(ticket.reference) is \(ticket.type.rawValue == "incident" ? "an" : "a") \(ticket.type.rawValue); only changes are approved")
        }
        guard ticket.approval == .pending else { throw VigilError(.conflict, "\(ticket.reference) was \(ticket.approval.rawValue) already") }
        guard ticket.requester != principal.actor, ticket.createdBy != principal.actor else {
            throw VigilError(.forbidden, "you raised \(ticket.reference); another IT manager approves it")
        }
        if !approve, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty { throw VigilError.invalid("note", .required, "say why the change is rejected") }
        guard let site = try await SiteStore.load(id: ticket.siteId, on: context.database.sql) else {
            throw VigilError(.internal, "the ticket's site is missing")
        }
        let state: ApprovalState = approve ? .approved : .rejected
        return try await context.transaction(invocation) { tx in
            _ = try await tx.updateVersioned(
                table: "it_tickets", id: ticket.id, expectedVersion: expectedVersion, entity: "ticket \(key)",
                assignments: [
                    ("approval", state.rawValue), ("approval_by", principal.actor), ("approval_at", tx.now.epochMicros),
                    ("approval_note", note), ("updated_at", tx.now.epochMicros),
                ])
            try await TicketHistory.append(
                ticket: ticket.id, kind: .approval, text: note, details: .object(["decision": .string(state.rawValue)]), ids: context.ids, in: tx)
            return try await finish(
                ticket, change: "approval:\(state.rawValue)", action: "it-service-desk.change.\(approve ? "approve" : "reject")", site: site, in: tx)
        }
    }

    /// The requester's rating of a resolved ticket, once.
    public func survey(_ key: String, score: Int, comment: String?, by invocation: Invocation) async throws -> Ticket {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.ticketRaise)
        let ticket = try await get(key, by: principal)
        guard ticket.requester == principal.actor else { throw VigilError(.forbidden, "only the requester of \(ticket.reference) rates it") }
        guard ticket.status == .resolved || ticket.status == .closed else {
            throw VigilError(.conflict, "\(ticket.reference) is \(ticket.status.rawValue); it is rated once resolved")
        }
        guard ticket.satisfaction == nil else { throw VigilError(.conflict, "\(ticket.reference) was rated already") }
        var validator = Validator()
        validator.check((1...5).contains(score), "score", .outOfRange, "must be 1 to 5")
        validator.check((comment ?? "").count <= 2_000, "comment", .tooLong, "at most 2000 characters")
        try validator.finish()
        guard let site = try await SiteStore.load(id: ticket.siteId, on: context.database.sql) else {
            throw VigilError(.internal, "the ticket's site is missing")
        }
        return try await context.transaction(invocation) { tx in
            let updated = try await tx.sql.raw(
                """
                UPDATE it_tickets SET satisfaction = \(bind: score), satisfaction_comment = \(bind: comment), version = version + 1, updated_at = \(bind: tx.now.epochMicros)
                WHERE id = \(bind: ticket.id) AND satisfaction IS NULL RETURNING id
                """
            ).first()
            guard updated != nil else { throw VigilError(.conflict, "\(ticket.reference) was rated already") }
            try await TicketHistory.append(
                ticket: ticket.id, kind: .survey, text: comment, details: .object(["score": .integer(Int64(score))]), ids: context.ids, in: tx)
            return try await finish(ticket, change: "survey", action: "it-service-desk.ticket.survey", site: site, in: tx)
        }
    }

    /// Reads the ticket back, audits the change against `before` and publishes it.
    func finish(_ before: Ticket, change: String, action: String, site: Site, in tx: Transaction) async throws -> Ticket {
        let after = try await TicketStore.load(before.id, on: tx.sql).orInternal("the record")
        try await tx.audit(
            AuditEntry(
                action: action, entity: EntityRef("it-service-desk.ticket", before.id), region: before.regionCode,
                changes: try FieldChange.diff(before: before, after: after)))
        try await tx.publish(
            TicketChanged(
                ticketId: after.id, reference: after.reference, change: change, status: after.status.rawValue, priority: after.priority, site: site.code),
            subject: EntityRef("it-service-desk.ticket", after.id), region: before.regionCode)
        return after
    }
}
