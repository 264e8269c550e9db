import Foundation
import Kernel

/// /api/it-service-desk/tickets: intake, lists, the workflow, links and surveys.
struct TicketEndpoints {
    let tickets: TicketService

    var all: [Endpoint] { [open, list, mine, show, history, transition, assign, approval, survey, link, links] }

    static let clock: Schema = .object([
        .required("kind", .enumeration(TicketClock.Kind.allCases.map(\.rawValue))), .required("targetSeconds", .integer()),
        .required("spentSeconds", .integer()),
        .optional("runningSince", .dateTime), .optional("dueAt", .dateTime), .optional("stoppedAt", .dateTime), .optional("breachedAt", .dateTime),
        .required("state", .enumeration(["running", "paused", "met", "breached"])),
    ])

    static let schema: Schema = .named(
        "Ticket",
        .object([
            .required("id", .uuid), .required("reference", .string(.init())), .required("type", .enumeration(TicketType.allCases.map(\.rawValue))),
            .required("category", .string(.init())), .required("title", .string(.init())), .required("description", .string(.init())),
            .required("siteId", .uuid), .required("region", .string(.init())), .required("impact", .integer()), .required("urgency", .integer()),
            .required("priority", .enumeration(TicketRules.priorities)), .required("status", .enumeration(TicketStatus.allCases.map(\.rawValue))),
            .required("requester", .string(.init())), .optional("groupId", .uuid), .optional("assignee", .string(.init())),
            .optional("assigneeActor", .string(.init())),
            .optional("parentId", .uuid), .required("approval", .enumeration(["not-required", "pending", "approved", "rejected"])),
            .optional("approvalBy", .string(.init())), .optional("approvalAt", .dateTime), .optional("approvalNote", .string(.init())),
            .optional("pendingReason", .string(.init())), .optional("resolution", .string(.init())), .optional("resolvedAt", .dateTime),
            .optional("closedAt", .dateTime),
            .optional("satisfaction", .integer()), .optional("satisfactionComment", .string(.init())),
            .required("createdAt", .dateTime), .required("createdBy", .string(.init())), .required("updatedAt", .dateTime), .required("version", .integer()),
            .required("clocks", .array(clock), "Time to own and time to resolve, each with its deadline"),
        ]))

    static let page: Schema = .named("TicketPage", .object([.required("items", .array(schema)), .optional("nextCursor", .string(.init()))]))

    static let input: Schema = .named(
        "TicketInput",
        .object([
            .required("type", .enumeration(TicketType.allCases.map(\.rawValue))), .required("category", .enumeration(TicketCategory.all)),
            .required("title", .string(maxLength: 200)), .required("description", .string(maxLength: 10_000)),
            .required("site", .string(maxLength: 20), "Site code"),
            .required("impact", .integer(minimum: 1, maximum: 3), "1 whole site, 2 a team, 3 one person"),
            .required("urgency", .integer(minimum: 1, maximum: 3), "1 work stopped, 2 slowed, 3 can wait"),
            .optional("requester", .string(.init(format: "email")), "Raise for someone else (agents)"),
            .optional("parent", .string(maxLength: 40), "Parent ticket reference or id"),
        ]))

    var open: Endpoint {
        Endpoint(
            .post, "/tickets", operationID: "openTicket", summary: "Raise an IT ticket; it is routed to its group and assigned by the group's strategy",
            permission: ITServiceDeskPermissions.ticketRaise, requestBody: Self.input, responses: [ResponseDoc(201, "The ticket", Self.schema)],
            idempotent: true
        ) { request in
            let input = try request.decode(TicketInput.self, schema: Self.input)
            let ticket = try await tickets.open(input, by: request.invocation)
            return try .json(ticket, status: 201, version: ticket.version, location: "/api/it-service-desk/tickets/\(ticket.reference)")
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/tickets", operationID: "listTickets", summary: "Tickets, newest first, filtered and paged by cursor",
            permission: ITServiceDeskPermissions.ticketRead,
            query: [
                QueryParameter("region", .string(maxLength: 10), "Region code"), QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("status", .enumeration(TicketStatus.allCases.map(\.rawValue)), "Status"),
                QueryParameter("open", .boolean, "Only tickets still being worked (true) or only finished ones (false)"),
                QueryParameter("type", .enumeration(TicketType.allCases.map(\.rawValue)), "Type"),
                QueryParameter("assignee", .string(maxLength: 200), "Assignee, user:email"), .pagingLimit, .pagingCursor,
            ],
            responses: [ResponseDoc(200, "A page of tickets", Self.page)]
        ) { request in
            let query = request.query
            var filter = TicketFilter(
                region: try ITEndpoints.region(query["region"]), site: query["site"], status: query["status"].flatMap(TicketStatus.init(rawValue:)),
                type: query["type"].flatMap(TicketType.init(rawValue:)), assigneeActor: query["assignee"])
            filter.open = query["open"].map { $0 == "true" }
            return try .json(try await tickets.list(filter, page: try ITEndpoints.page(query), by: request.principal))
        }
    }

    var mine: Endpoint {
        Endpoint(
            .get, "/tickets/mine", operationID: "listMyTickets", summary: "The tickets the caller raised, newest first, paged by cursor",
            permission: ITServiceDeskPermissions.ticketRaise,
            query: [QueryParameter("open", .boolean, "Only tickets still being worked (true) or only finished ones (false)"), .pagingLimit, .pagingCursor],
            responses: [ResponseDoc(200, "A page of tickets", Self.page)]
        ) { request in
            try .json(
                try await tickets.mine(open: request.query["open"].map { $0 == "true" }, page: try ITEndpoints.page(request.query), by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(
            .get, "/tickets/{id}", operationID: "getTicket", summary: "One ticket by reference or id, with its clocks", permission: nil,
            responses: [ResponseDoc(200, "The ticket", Self.schema)]
        ) { request in
            let ticket = try await tickets.get(request.path("id"), by: request.principal)
            return try .json(ticket, version: ticket.version)
        }
    }

    static let historySchema: Schema = .page(
        "TicketHistoryPage",
        of: .named(
            "TicketHistoryEntry",
            .object([
                .required("id", .uuid), .required("at", .dateTime), .required("actor", .string(.init())),
                .required("kind", .enumeration(TicketHistoryKind.allCases.map(\.rawValue))),
                .optional("text", .string(.init())), .required("details", .freeObject),
            ])))

    var history: Endpoint {
        Endpoint(
            .get, "/tickets/{id}/history", operationID: "ticketHistory", summary: "What happened to a ticket, oldest first, a page at a time", permission: nil,
            query: [.pagingLimit, .pagingCursor], responses: [ResponseDoc(200, "A page of history", Self.historySchema)]
        ) { request in
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await tickets.history(request.path("id"), page: page, by: request.principal))
        }
    }

    private struct TransitionInput: Decodable { let status: String; let note: String? }
    static let transitionInput: Schema = .named(
        "TicketTransition",
        .object([
            .required("status", .enumeration(TicketStatus.allCases.map(\.rawValue))),
            .optional(
                "note", .string(maxLength: 4_000),
                "Resolution (resolved), reason (cancelled), what it waits for (pending: \(PendingReason.allCases.map(\.rawValue).joined(separator: ", ")))"),
        ]))

    var transition: Endpoint {
        Endpoint(
            .post, "/tickets/{id}/transition", operationID: "transitionTicket", summary: "Move a ticket: start, pend, resume, resolve, close, reopen, cancel",
            permission: ITServiceDeskPermissions.ticketWork, requestBody: Self.transitionInput, responses: [ResponseDoc(200, "The ticket", Self.schema)],
            versioned: true
        ) { request in
            let input = try request.decode(TransitionInput.self, schema: Self.transitionInput)
            let ticket = try await tickets.transition(
                request.path("id"), to: TicketStatus(rawValue: input.status)!, note: input.note,
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(ticket, version: ticket.version)
        }
    }

    private struct AssignInput: Decodable { let assignee: String? }
    static let assignInput: Schema = .named(
        "TicketAssign", .object([.optional("assignee", .string(.init(format: "email")), "An agent's email; absent: by the group's strategy")]))

    var assign: Endpoint {
        Endpoint(
            .post, "/tickets/{id}/assign", operationID: "assignTicket", summary: "Assign to an agent, or again by the group's strategy",
            permission: ITServiceDeskPermissions.ticketWork, requestBody: Self.assignInput, responses: [ResponseDoc(200, "The ticket", Self.schema)],
            versioned: true
        ) { request in
            let input = try request.decode(AssignInput.self, schema: Self.assignInput)
            let ticket = try await tickets.assign(request.path("id"), to: input.assignee, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(ticket, version: ticket.version)
        }
    }

    private struct ApprovalInput: Decodable { let decision: String; let note: String? }
    static let approvalInput: Schema = .named(
        "ChangeApproval",
        .object([
            .required("decision", .enumeration(["approve", "reject"])), .optional("note", .string(maxLength: 2_000), "Required to reject"),
        ]))

    var approval: Endpoint {
        Endpoint(
            .post, "/tickets/{id}/approval", operationID: "decideChange", summary: "Approve or reject a change (IT managers; not the one who raised it)",
            permission: ITServiceDeskPermissions.changeApprove, requestBody: Self.approvalInput, responses: [ResponseDoc(200, "The change", Self.schema)],
            versioned: true
        ) { request in
            let input = try request.decode(ApprovalInput.self, schema: Self.approvalInput)
            let ticket = try await tickets.decide(
                request.path("id"), approve: input.decision == "approve", note: input.note,
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(ticket, version: ticket.version)
        }
    }

    private struct SurveyInput: Decodable { let score: Int; let comment: String? }
    static let surveyInput: Schema = .named(
        "TicketSurvey", .object([.required("score", .integer(minimum: 1, maximum: 5)), .optional("comment", .string(maxLength: 2_000))]))

    var survey: Endpoint {
        Endpoint(
            .post, "/tickets/{id}/survey", operationID: "rateTicket", summary: "The requester rates a resolved ticket (1-5 and a comment), once",
            permission: ITServiceDeskPermissions.ticketRaise, requestBody: Self.surveyInput, responses: [ResponseDoc(200, "The ticket", Self.schema)]
        ) { request in
            let input = try request.decode(SurveyInput.self, schema: Self.surveyInput)
            let ticket = try await tickets.survey(request.path("id"), score: input.score, comment: input.comment, by: request.invocation)
            return try .json(ticket, version: ticket.version)
        }
    }

    static let linkSchema: Schema = .named(
        "TicketLink",
        .object([
            .required("kind", .enumeration(["problem", "change", "parent", "child", "asset"])), .required("target", .string(.init())),
            .required("title", .string(.init())), .required("status", .string(.init())),
        ]))

    private struct LinkInput: Decodable { let kind: String; let target: String }
    static let linkInput: Schema = .named(
        "TicketLinkInput",
        .object([
            .required(
                "kind", .enumeration(TicketLinkKind.allCases.map(\.rawValue)),
                "problem: incident↔problem; change: change↔problem; parent: this ticket's parent; asset: an asset tag"),
            .required("target", .string(maxLength: 60), "Ticket reference or id, or asset tag"),
        ]))

    var link: Endpoint {
        Endpoint(
            .post, "/tickets/{id}/links", operationID: "linkTicket", summary: "Link a ticket to a problem, change, parent or asset",
            permission: ITServiceDeskPermissions.ticketWork, requestBody: Self.linkInput,
            responses: [ResponseDoc(200, "All links of the ticket", .array(Self.linkSchema))]
        ) { request in
            let input = try request.decode(LinkInput.self, schema: Self.linkInput)
            return try .json(try await tickets.link(request.path("id"), kind: TicketLinkKind(rawValue: input.kind)!, to: input.target, by: request.invocation))
        }
    }

    var links: Endpoint {
        Endpoint(
            .get, "/tickets/{id}/links", operationID: "ticketLinks", summary: "Links of a ticket, both directions, with parent and children", permission: nil,
            responses: [ResponseDoc(200, "Links", .array(Self.linkSchema))]
        ) { request in
            try .json(try await tickets.links(request.path("id"), by: request.principal))
        }
    }
}
