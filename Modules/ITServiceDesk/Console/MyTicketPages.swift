import Foundation
import JSONCoding
import Kernel

/// "My tickets": what someone who raises tickets but does not work the desk follows — the state
/// of each request they made, open ones first by default, each linking to its page (which the
/// API lets a requester read).
struct MyTicketPages {
    static let base = "/console/it-service-desk/my-tickets"
    static let states = ["open", "done", "all"]

    var all: [ConsolePage] {
        [
            .get(
                "/my-tickets", permission: ITServiceDeskPermissions.ticketRaise, navigation: ConsoleNavigation("nav-my-tickets", order: 15),
                handler: list)
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let state = request.query["state"].flatMap { Self.states.contains($0) ? $0 : nil } ?? "open"
        var data: [String: JSONValue] = [
            "stateOptions": request.options("state", Self.states, selected: state),
            "canCreate": .bool(request.principal.has(ITServiceDeskPermissions.ticketRaise)),
        ]
        var query = request.listQuery(filters: [])
        switch state {
        case "open": query["open"] = "true"
        case "done": query["open"] = "false"
        default: break
        }
        let view = try await TicketView.make(request)
        let status = try await request.listPage("listMyTickets", query: query, base: Self.base, filters: ["state"], into: &data, row: view.row)
        var page = ConsoleView("my-tickets", title: "my-tickets-title", data: data, status: status)
        page.live = true
        return .page(page)
    }
}
