import Foundation
import Kernel
import SQLKit
import WorkAssignment

/// Routes tickets to their group and hands them to an agent with the shared assignment rules
/// (Kernel's WorkerPool), inside the caller's transaction.
struct TicketAssigner: Sendable {
    let context: DomainContext

    /// Picks the group by category and, when it has an agent with room, the agent.
    func route(_ ticket: Ticket, in tx: Transaction) async throws {
        guard let group = try await GroupService.route(region: ticket.region, category: ticket.category, on: tx.sql) else {
            try await TicketHistory.append(
                ticket: ticket.id, kind: .assigned, text: "no group of \(ticket.region) takes \(ticket.category); the ticket waits",
                details: .object(["strategy": .string("none")]), ids: context.ids, in: tx)
            return
        }
        try await tx.sql.raw("UPDATE it_tickets SET group_id = \(bind: group.id) WHERE id = \(bind: ticket.id)").run()
        let request = WorkRequest(
            strategy: group.strategy, skill: group.requiredSkill,
            conditions: [
                "region = \(bind: ticket.region)",
                "EXISTS (SELECT 1 FROM it_group_members m WHERE m.user_id = it_agents.user_id AND m.group_id = \(bind: group.id))",
            ], availability: "available = \(bind: true)")
        let (rows, fellBack) = try await ITAgent.pool.candidates(for: request, on: tx.sql)
        for agent in try rows.map(ITAgent.init(row:)) where try await ITAgent.pool.reserve(agent.userId, at: tx.now, on: tx.sql) {
            try await tx.sql.raw(
                """
                UPDATE it_tickets SET assignee = \(bind: agent.userId), assignee_actor = \(bind: agent.actor), status = \(bind: TicketStatus.assigned.rawValue)
                WHERE id = \(bind: ticket.id)
                """
            ).run()
            let reason = WorkerPool.reason(
                group.strategy, fellBack: fellBack, load: agent.activeTickets, capacity: agent.capacity, lastAssigned: agent.lastAssignedAt,
                wanted: group.requiredSkill, noun: "tickets")
            try await TicketHistory.append(
                ticket: ticket.id, kind: .assigned, text: "\(group.name) → \(agent.actor)",
                details: .object([
                    "group": .string(group.name), "strategy": .string(group.strategy.rawValue), "chosen": .string(agent.actor),
                    "reason": .string(reason), "considered": .integer(Int64(rows.count)),
                ]), ids: context.ids, in: tx)
            return
        }
        let reason =
            group.strategy == .availabilityAware
            ? "no agent of \(group.name) at work with room; the ticket waits in the group"
            : "every agent of \(group.name) is at capacity (or the group has none); the ticket waits in the group"
        try await TicketHistory.append(
            ticket: ticket.id, kind: .assigned, text: reason,
            details: .object(["group": .string(group.name), "strategy": .string(group.strategy.rawValue), "considered": .integer(Int64(rows.count))]),
            ids: context.ids, in: tx)
    }
}
