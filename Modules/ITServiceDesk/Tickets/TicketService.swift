import Foundation
import JSONCoding
import Kernel
import SQLKit

/// IT tickets: intake with routing and auto-assignment, reading and lists. The workflow (assign,
/// status, approval, survey) is in TicketService+Workflow, links in TicketService+Links.
public struct TicketService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func open(_ input: TicketInput, by invocation: Invocation) async throws -> Ticket {
        let prepared = try await prepare(input, by: invocation.principal)
        return try await context.transaction(invocation) { tx in try await open(prepared, in: tx) }
    }

    /// A checked intake, ready to write in a transaction (the HTTP layer's, for Idempotency-Key).
    public struct PreparedTicket: Sendable {
        let input: TicketInput
        let type: TicketType
        let title: String
        let site: Site
        let requester: String
        let parentID: String?
        let priority: String
        let target: SLATarget
    }

    /// Validates an intake and resolves its site, requester and parent; writes nothing.
    public func prepare(_ input: TicketInput, by principal: Principal) async throws -> PreparedTicket {
        try principal.require(ITServiceDeskPermissions.ticketRaise)
        var validator = Validator()
        let type = TicketType(rawValue: input.type)
        validator.check(type != nil, "type", .notAllowed, "must be one of \(TicketType.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(TicketCategory.all.contains(input.category), "category", .notAllowed, "must be one of \(TicketCategory.all.joined(separator: ", "))")
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check((1...200).contains(title.count), "title", .invalid, "must be 1 to 200 characters")
        validator.check((1...10_000).contains(input.description.count), "description", .invalid, "must be 1 to 10000 characters")
        validator.check((1...3).contains(input.impact), "impact", .outOfRange, "must be 1 (whole site), 2 (a team) or 3 (one person)")
        validator.check((1...3).contains(input.urgency), "urgency", .outOfRange, "must be 1 (work stopped), 2 (work slowed) or 3 (can wait)")
        try validator.finish()
        let site = try context.authorization.referenced(
            try await SiteStore.load(code: input.site.uppercased(), on: context.database.sql), region: \.regionCode,
            by: principal, field: "site", "\(input.site) is not a site you may use")
        var requester = principal.actor
        if let email = input.requester, "user:\(email)" != principal.actor {
            try principal.require(ITServiceDeskPermissions.ticketWork)
            guard let person = try await context.people.person(email: email), person.active else {
                throw VigilError.invalid("requester", .notAllowed, "\(email) is not an active user")
            }
            requester = person.actor
        }
        var parentID: String?
        if let parent = input.parent {
            guard let found = try await TicketStore.find(parent, on: context.database.sql), found.region == site.region else {
                throw VigilError.invalid("parent", .notAllowed, "\(parent) is not a ticket of \(site.region)")
            }
            guard !found.status.isDone else {
                throw VigilError.invalid("parent", .notAllowed, "\(found.reference) is \(found.status.rawValue); a child needs an open parent")
            }
            parentID = found.id
        }
        let priority = TicketRules.priority(impact: input.impact, urgency: input.urgency)
        let target = try await SLATargetStore.target(type: type!, priority: priority, on: context.database.sql)
        return PreparedTicket(input: input, type: type!, title: title, site: site, requester: requester, parentID: parentID, priority: priority, target: target)
    }

    public func open(_ prepared: PreparedTicket, in tx: Transaction) async throws -> Ticket {
        let (input, type, title, site, requester, parentID, priority, target) =
            (prepared.input, prepared.type, prepared.title, prepared.site, prepared.requester, prepared.parentID, prepared.priority, prepared.target)
        let principal = tx.principal
        let calendar = site.workingCalendar(at: tx.now)
        let id = context.ids.next().lowercased
        let reference = try await tx.nextReference("IT")
        try await tx.sql.raw(
            """
            INSERT INTO it_tickets (id, reference, type, category, title, description, site_id, region, impact, urgency, priority, status, requester,
                parent_id, approval, created_at, created_by, updated_at, version)
            VALUES (\(bind: id), \(bind: reference), \(bind: type.rawValue), \(bind: input.category), \(bind: title), \(bind: input.description),
                    \(bind: site.id), \(bind: site.region), \(bind: input.impact), \(bind: input.urgency), \(bind: priority), \(bind: TicketStatus.new.rawValue),
                    \(bind: requester), \(bind: parentID), \(bind: (type == .change ? ApprovalState.pending : .notRequired).rawValue),
                    \(bind: tx.now.epochMicros), \(bind: principal.actor), \(bind: tx.now.epochMicros), 1)
            """
        ).run()
        for clock in [
            TicketClock.started(.own, target: Int64(target.ownMinutes) * 60, at: tx.now, on: calendar),
            TicketClock.started(.resolve, target: Int64(target.resolveMinutes) * 60, at: tx.now, on: calendar),
        ] {
            try await TicketClockStore.insert(clock, ticket: id, on: tx.sql)
        }
        try await TicketHistory.append(
            ticket: id, kind: .opened, text: title, details: .object(["priority": .string(priority), "site": .string(site.code)]), ids: context.ids, in: tx)
        let opened = try await TicketStore.load(id, on: tx.sql).orInternal("the record")
        try await tx.audit(
            AuditEntry(
                action: "it-service-desk.ticket.open", entity: EntityRef("it-service-desk.ticket", id), region: site.regionCode,
                changes: try FieldChange.diff(before: Optional<Ticket>.none, after: opened), isCreation: true))
        try await TicketAssigner(context: context).route(opened, in: tx)
        let final = try await TicketStore.load(id, on: tx.sql).orInternal("the record")
        try await tx.publish(
            TicketChanged(ticketId: id, reference: reference, change: "opened", status: final.status.rawValue, priority: priority, site: site.code),
            subject: EntityRef("it-service-desk.ticket", id), region: site.regionCode)
        return final
    }

    /// A ticket by id or reference, with its clocks; requesters see their own tickets.
    public func get(_ key: String, by principal: Principal) async throws -> Ticket {
        guard let ticket = try await TicketStore.find(key, on: context.database.sql) else { throw VigilError.notFound("ticket \(key)") }
        try visible(ticket, asked: key, to: principal)
        return ticket
    }

    /// Requesters see their own tickets; the desk sees its regions'. Any other ticket answers as a
    /// missing one, in the words the caller used (an id stays an id), so nothing tells it exists.
    func visible(_ ticket: Ticket, asked key: String? = nil, to principal: Principal) throws {
        if ticket.requester == principal.actor { return }
        guard principal.has(ITServiceDeskPermissions.ticketRead), principal.canAccess(ticket.regionCode) else {
            throw VigilError.notFound("ticket \(key ?? ticket.id)")
        }
    }

    /// A page of a ticket's history, oldest first.
    public func history(_ key: String, page: PageRequest = PageRequest(), by principal: Principal) async throws -> Page<TicketHistoryEntry> {
        let ticket = try await get(key, by: principal)
        return try await TicketHistory.page(ticket: ticket.id, after: page.after, limit: page.limit, on: context.database.sql)
    }

    /// A page of tickets, newest first, filtered by the indexes' leading columns.
    public func list(_ filter: TicketFilter, page: PageRequest, by principal: Principal) async throws -> Page<Ticket> {
        try principal.require(ITServiceDeskPermissions.ticketRead)
        return try await select(filter, page: page, by: principal)
    }

    /// The tickets this person raised, newest first: what someone who may raise tickets but not
    /// read the desk's queue follows (the answers and states of their own requests).
    public func mine(open: Bool?, page: PageRequest, by principal: Principal) async throws -> Page<Ticket> {
        try principal.require(ITServiceDeskPermissions.ticketRaise)
        var filter = TicketFilter(requester: principal.actor)
        filter.open = open
        return try await select(filter, page: page, by: principal)
    }

    private func select(_ filter: TicketFilter, page: PageRequest, by principal: Principal) async throws -> Page<Ticket> {
        let sql = context.database.sql
        let select = sql.select().column(SQLRaw(Ticket.columns)).from("it_tickets")
        if let region = filter.region {
            try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
            select.where("region", .equal, region.rawValue)
        } else if let regions = principal.regions.filter {
            select.where("region", .in, regions.map(\.rawValue))
        }
        if let site = filter.site {
            let found = try context.authorization.referenced(
                try await SiteStore.load(code: site.uppercased(), on: sql), region: \.regionCode,
                by: principal, field: "site", "\(site) is not a site you may use")
            select.where("site_id", .equal, found.id)
        }
        if let status = filter.status { select.where("status", .equal, status.rawValue) }
        if let open = filter.open {
            let done = TicketStatus.allCases.filter(\.isDone).map(\.rawValue)
            select.where("status", open ? .notIn : .in, done)
        }
        if let type = filter.type { select.where("type", .equal, type.rawValue) }
        if let assignee = filter.assigneeActor { select.where("assignee_actor", .equal, assignee) }
        if let requester = filter.requester { select.where("requester", .equal, requester) }
        try select.keyset([.descending("created_at"), .descending("id")], after: page.after, limit: page.limit)
        let rows = try await select.all()
        var tickets = try rows.map(Ticket.init(row:))
        let clocks = try await TicketClockStore.load(tickets: tickets.prefix(page.limit).map(\.id), on: sql)
        for index in tickets.indices { tickets[index].clocks = clocks[tickets[index].id] ?? [] }
        return tickets.page(limit: page.limit) { Cursor([.integer($0.createdAt.epochMicros), .text($0.id)]) }
    }
}

public struct TicketFilter: Sendable {
    public var region: RegionCode?
    public var site: String?
    public var status: TicketStatus?
    public var type: TicketType?
    public var assigneeActor: String?
    public var requester: String?
    /// Only tickets still being worked (true) or only resolved, closed and cancelled ones (false).
    public var open: Bool?

    public init(
        region: RegionCode? = nil, site: String? = nil, status: TicketStatus? = nil, type: TicketType? = nil, assigneeActor: String? = nil,
        requester: String? = nil
    ) {
        self.region = region
        self.site = site
        self.status = status
        self.type = type
        self.assigneeActor = assigneeActor
        self.requester = requester
    }
}
