import Foundation
import JSONCoding
import Kernel
import SQLKit

/// What a ticket is linked to.
public struct TicketLink: Codable, Sendable, Hashable {
    /// problem (an incident and the problem behind it), change (a change and the problem it
    /// fixes), parent, child, asset.
    public let kind: String
    /// The other side: a ticket reference or an asset tag.
    public let target: String
    public let title: String
    public let status: String
}

public enum TicketLinkKind: String, Codable, Sendable, CaseIterable {
    case problem, change, parent, asset
}

extension TicketService {
    /// Links a ticket: an incident to its problem, a change to the problem it fixes, a child to its
    /// parent (which then cannot close before it), or an asset by tag.
    public func link(_ key: String, kind: TicketLinkKind, to target: String, by invocation: Invocation) async throws -> [TicketLink] {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.ticketWork)
        let ticket = try await get(key, by: principal)
        try context.authorization.requireVisible(principal, region: ticket.regionCode, entity: "ticket \(key)")
        let sql = context.database.sql
        if kind == .asset {
            // Another region's asset answers like a missing one.
            guard
                let row = try await sql.raw(
                    """
                    SELECT a.id, a.tag FROM it_assets a JOIN it_sites s ON s.id = a.site_id WHERE a.tag = \(bind: target.uppercased()) AND s.region = \(bind: ticket.region)
                    """
                ).first()
            else {
                throw VigilError.invalid("target", .notAllowed, "no asset of \(ticket.region) is tagged \(target)")
            }
            let assetID = try row.decode(column: "id", as: String.self)
            try await context.transaction(invocation) { tx in
                try await self.insertLink(from: ticket, kind: kind, toType: "asset", toID: assetID, label: target.uppercased(), in: tx)
            }
            return try await links(key, by: principal)
        }
        // A ticket of another region, or one the caller may not see, answers like a missing one.
        guard let other = try await TicketStore.find(target, on: sql), other.region == ticket.region, (try? visible(other, to: principal)) != nil else {
            throw VigilError.invalid("target", .notAllowed, "\(target) is not a ticket of \(ticket.region) you may link")
        }
        guard other.id != ticket.id else { throw VigilError.invalid("target", .notAllowed, "a ticket cannot be linked to itself") }
        switch kind {
        case .problem, .change:
            let pair = kind == .problem ? (TicketType.incident, TicketType.problem) : (TicketType.change, TicketType.problem)
            let (from, to): (Ticket, Ticket)
            if ticket.type == pair.0, other.type == pair.1 {
                (from, to) = (ticket, other)
            } else if ticket.type == pair.1, other.type == pair.0 {
                (from, to) = (other, ticket)
            } else {
                throw VigilError.invalid(
                    "target", .notAllowed,
                    "a \(kind.rawValue) link joins \(pair.0 == .incident ? "an" : "a") \(pair.0.rawValue) and a \(pair.1.rawValue); these are \(ticket.type.rawValue) and \(other.type.rawValue)"
                )
            }
            try await context.transaction(invocation) { tx in
                try await self.insertLink(from: from, kind: kind, toType: "ticket", toID: to.id, label: to.reference, in: tx)
            }
        case .parent:
            guard !other.status.isDone else {
                throw VigilError.invalid("target", .notAllowed, "\(other.reference) is \(other.status.rawValue); a parent must be open")
            }
            // Walk up from the new parent: meeting this ticket would make a loop.
            var cursor: String? = other.parentId
            var steps = 0
            while let ancestor = cursor, steps < 100 {
                if ancestor == ticket.id {
                    throw VigilError.invalid("target", .notAllowed, "\(other.reference) is below \(ticket.reference); that would make a loop")
                }
                cursor = try await sql.raw("SELECT parent_id FROM it_tickets WHERE id = \(bind: ancestor)").first()?.optional("parent_id", as: String.self)
                steps += 1
            }
            try await context.transaction(invocation) { tx in
                try await tx.sql.raw(
                    "UPDATE it_tickets SET parent_id = \(bind: other.id), version = version + 1, updated_at = \(bind: tx.now.epochMicros) WHERE id = \(bind: ticket.id)"
                ).run()
                try await TicketHistory.append(
                    ticket: ticket.id, kind: .link, text: "child of \(other.reference)", details: .object(["parent": .string(other.reference)]),
                    ids: context.ids, in: tx)
                try await tx.audit(
                    AuditEntry(
                        action: "it-service-desk.ticket.link", entity: EntityRef("it-service-desk.ticket", ticket.id), region: ticket.regionCode,
                        changes: [FieldChange(field: "parentId", before: ticket.parentId.map(JSONValue.string), after: .string(other.id))]))
            }
        case .asset: break
        }
        return try await links(key, by: principal)
    }

    private func insertLink(from: Ticket, kind: TicketLinkKind, toType: String, toID: String, label: String, in tx: Transaction) async throws {
        let exists = try await tx.sql.raw(
            """
            SELECT 1 AS one FROM it_ticket_links WHERE from_id = \(bind: from.id) AND kind = \(bind: kind.rawValue) AND to_type = \(bind: toType) AND to_id = \(bind: toID)
            """
        ).first()
        if exists != nil { throw VigilError(.conflict, "\(from.reference) is linked to \(label) already") }
        try await tx.sql.raw(
            """
            INSERT INTO it_ticket_links (from_id, to_type, to_id, kind, created_at, created_by)
            VALUES (\(bind: from.id), \(bind: toType), \(bind: toID), \(bind: kind.rawValue), \(bind: tx.now.epochMicros), \(bind: tx.principal.actor))
            """
        ).run()
        try await TicketHistory.append(
            ticket: from.id, kind: .link, text: "\(kind.rawValue): \(label)", details: .object(["kind": .string(kind.rawValue), "target": .string(label)]),
            ids: context.ids, in: tx)
        try await tx.audit(
            AuditEntry(
                action: "it-service-desk.ticket.link", entity: EntityRef("it-service-desk.ticket", from.id), region: from.regionCode,
                changes: [FieldChange(field: "links", before: nil, after: .string("\(kind.rawValue):\(label)"))]))
    }

    /// Every link of a ticket, both directions, with parent and children.
    public func links(_ key: String, by principal: Principal) async throws -> [TicketLink] {
        let ticket = try await get(key, by: principal)
        let sql = context.database.sql
        var links: [TicketLink] = []
        let outgoing = try await sql.raw(
            """
            SELECT l.kind, t.reference AS label, t.title AS title, t.status AS status FROM it_ticket_links l JOIN it_tickets t ON t.id = l.to_id
            WHERE l.from_id = \(bind: ticket.id) AND l.to_type = 'ticket'
            UNION ALL
            SELECT l.kind, t.reference AS label, t.title AS title, t.status AS status FROM it_ticket_links l JOIN it_tickets t ON t.id = l.from_id
            WHERE l.to_id = \(bind: ticket.id) AND l.to_type = 'ticket'
            UNION ALL
            SELECT 'asset' AS kind, a.tag AS label, a.category AS title, a.status AS status FROM it_ticket_links l JOIN it_assets a ON a.id = l.to_id
            WHERE l.from_id = \(bind: ticket.id) AND l.to_type = 'asset'
            UNION ALL
            SELECT 'child' AS kind, t.reference AS label, t.title AS title, t.status AS status FROM it_tickets t WHERE t.parent_id = \(bind: ticket.id)
            """
        ).all()
        for row in outgoing {
            links.append(
                TicketLink(
                    kind: try row.decode(column: "kind", as: String.self), target: try row.decode(column: "label", as: String.self),
                    title: try row.decode(column: "title", as: String.self), status: try row.decode(column: "status", as: String.self)))
        }
        if let parentID = ticket.parentId, let parent = try await TicketStore.load(parentID, on: sql) {
            links.append(TicketLink(kind: "parent", target: parent.reference, title: parent.title, status: parent.status.rawValue))
        }
        return links.sorted { ($0.kind, $0.target) < ($1.kind, $1.target) }
    }
}
