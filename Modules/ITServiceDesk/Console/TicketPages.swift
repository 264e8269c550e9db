import Foundation
import JSONCoding
import Kernel

/// The IT desk's ticket pages: the queue with its filters, the new-ticket form, and the ticket
/// with both SLA deadlines, its history and every action (work it, assign it, decide a change).
/// Each reads and writes through the desk's endpoints, as the API does for the same person.
struct TicketPages {
    static let base = "/console/it-service-desk/tickets"
    static let filters = ["status", "type", "site", "region"]
    static let newTicketFields = ["type", "category", "title", "description", "site", "impact", "urgency"]

    var all: [ConsolePage] {
        [
            .get(
                "/tickets", permission: ITServiceDeskPermissions.ticketRead, navigation: ConsoleNavigation("nav-tickets", order: 10, shortcut: "t"),
                handler: list),
            .get("/tickets/new", permission: ITServiceDeskPermissions.ticketRaise, navigation: ConsoleNavigation("nav-new-ticket", order: 20)) { request in
                try await newTicket(request, values: FormValues(), issues: [])
            },
            .post("/tickets/new", permission: ITServiceDeskPermissions.ticketRaise, handler: openTicket),
            .get("/tickets/{id}", permission: nil, handler: show),
            .post("/tickets/{id}/transition", permission: ITServiceDeskPermissions.ticketWork) { request in
                try await act(request, "transitionTicket", done: "ticket-moved")
            },
            .post("/tickets/{id}/assign", permission: ITServiceDeskPermissions.ticketWork) { request in
                try await act(request, "assignTicket", done: "ticket-assigned")
            },
            .post("/tickets/{id}/approval", permission: ITServiceDeskPermissions.changeApprove) { request in
                try await act(request, "decideChange", done: "change-decided")
            },
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        var data: [String: JSONValue] = [
            "statusOptions": request.options("status", ["all"] + TicketStatus.allCases.map(\.rawValue), selected: request.query["status"]),
            "typeOptions": request.options("type", TicketType.allCases.map(\.rawValue), selected: request.query["type"]),
            "regionOptions": try await request.regionOptions(selected: request.query["region"]),
            "site": .string(request.query["site"] ?? ""),
            "canCreate": .bool(request.principal.has(ITServiceDeskPermissions.ticketRaise)),
        ]
        let view = try await TicketView.make(request)
        let status = try await request.listPage(
            "listTickets", query: request.queueQuery(filters: Self.filters), base: Self.base, filters: Self.filters, into: &data, row: view.row)
        var page = ConsoleView("tickets", title: "tickets-title", data: data, status: status)
        page.live = true
        page.savedFilters = true
        return .page(page)
    }

    func newTicket(_ request: ConsoleRequest, values: FormValues, issues: [FieldIssue]) async throws -> ConsoleResponse {
        let sites = try await request.read("listSites").items
        var fields = request.formFields("openTicket", values: values, issues: issues, only: Self.newTicketFields)
        fields = fields.map { field in
            guard case .object(var members) = field, let name = members["name"]?.text else { return field }
            switch name {
            case "site":
                members = SiteChoice.select(members, sites: sites, chosen: values.single("site"))
            case "impact", "urgency":
                members["input"] = nil
                members["select"] = .bool(true)
                members["options"] = request.options(name, ["1", "2", "3"], selected: values.single(name) ?? (values.isEmpty ? "3" : nil))
            default: break
            }
            return .object(members)
        }
        return .page(
            ConsoleView(
                "ticket-new", title: "ticket-new-title", data: ["fields": .array(fields), "hasIssues": .bool(!issues.isEmpty)],
                status: issues.isEmpty ? 200 : 422))
    }

    func openTicket(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        do {
            let response = try await request.submit("openTicket")
            let ticket = try JSONValue.parse(response.body)
            guard let id = ticket[member: "id"]?.text else { throw VigilError(.internal, "the new ticket has no id") }
            return .redirect("\(Self.base)/\(id)", .success("ticket-opened", ["reference": ticket[member: "reference"]?.text ?? ""]))
        } catch let error as VigilError where !error.fields.isEmpty {
            return try await newTicket(request, values: request.form, issues: error.fields)
        }
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let id = request.path("id")
        let view = try await TicketView.make(request)
        let ticket = view.row(try await request.read("getTicket", path: ["id": id]))
        let history = try await request.read("ticketHistory", path: ["id": id], query: ["limit": "200"])
        let status = TicketStatus(rawValue: ticket[member: "status"]?.text ?? "") ?? .new
        let region = ticket[member: "region"]?.text ?? ""
        var data: [String: JSONValue] = [
            "ticket": ticket,
            "clocks": .array(ticket[member: "clocks"]?.items.map { view.clock($0, zone: view.zones[region]) } ?? []),
            "history": .array(
                history[member: "items"]?.items.map { entry in
                    .object([
                        "kind": entry[member: "kind"] ?? .string(""), "kindLabel": .string(request.text("value-history-\(entry[member: "kind"]?.text ?? "")")),
                        "who": .string(ConsoleRequest.person(entry[member: "actor"]?.text)), "text": entry[member: "text"] ?? .null,
                        "atLocal": .string(request.localTime(entry[member: "at"], zone: view.zones[region]) ?? ""),
                    ])
                } ?? []),
            "canWork": .bool(request.principal.has(ITServiceDeskPermissions.ticketWork) && (!status.isDone || status == .resolved)),
            "transitions": request.options("status", (TicketRules.transitions[status] ?? []).map(\.rawValue).sorted(), selected: nil),
            "pendingReasons": request.options("pending", PendingReason.allCases.map(\.rawValue), selected: nil),
            "canDecide": .bool(
                request.principal.has(ITServiceDeskPermissions.changeApprove) && ticket[member: "approval"]?.text == "pending"),
        ]
        if request.principal.has(ITServiceDeskPermissions.ticketWork), !status.isDone {
            let agents = try await request.read("listAgents", query: ["region": region]).items
            data["canAssign"] = .bool(true)
            data["agents"] = .array(
                agents.map { agent in
                    let actor = agent[member: "actor"]?.text ?? ""
                    let load = "\(agent[member: "activeTickets"]?.jsonText ?? "0")/\(agent[member: "capacity"]?.jsonText ?? "?")"
                    return .object([
                        "value": .string(ConsoleRequest.person(actor)), "label": .string("\(agent[member: "name"]?.text ?? "") (\(load))"),
                        "selected": .bool(ticket[member: "assigneeActor"]?.text == actor),
                    ])
                })
        }
        var page = ConsoleView("ticket", title: "ticket-title", data: data, titleDetail: ticket[member: "reference"]?.text)
        page.live = true
        return .page(page)
    }

    func act(_ request: ConsoleRequest, _ operationID: String, done: String) async throws -> ConsoleResponse {
        let id = request.path("id")
        return try await request.act(
            operationID, path: ["id": id], back: "\(Self.base)/\(id)", done: done, lastChange: request.lastChange(from: "ticketHistory", path: ["id": id]))
    }
}
