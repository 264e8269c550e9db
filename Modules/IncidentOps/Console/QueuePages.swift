import Foundation
import JSONCoding
import Kernel

/// The queues an analyst works: each queue's open cases, soonest SLA deadline first, a page at
/// a time, with "take it" on each row (claimCase, guarded by the version shown). Live.
struct QueuePages {
    static let base = "/console/incident-ops/queues"

    var all: [ConsolePage] {
        [
            .get("/queues", permission: IncidentOpsPermissions.caseRead, navigation: ConsoleNavigation("nav-queues", order: 15, shortcut: "q"), handler: list),
            .get("/queues/{id}", permission: IncidentOpsPermissions.caseRead, handler: show),
            .post("/queues/{id}/claim/{case}", permission: IncidentOpsPermissions.caseUpdate) { request in
                let queue = request.path("id")
                return try await request.act(
                    "claimCase", path: ["id": request.path("case")], back: "\(Self.base)/\(ConsoleRequest.pathSegment(queue))", done: "case-claimed",
                    lastChange: request.lastChange(from: "caseTimeline", path: ["id": request.path("case")]))
            },
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        var query: [String: String] = [:]
        if let region = request.query["region"], !region.isEmpty { query["region"] = region }
        let queues = try await request.read("listQueues", query: query).items.map { queue -> JSONValue in
            .object([
                "name": queue[member: "name"] ?? .string(""), "region": queue[member: "region"] ?? .string(""),
                "strategy": .string(request.text("value-strategy-\(queue[member: "strategy"]?.text ?? "")")),
                "href": .string("\(Self.base)/\(queue[member: "id"]?.text ?? "")"),
            ])
        }
        let data: [String: JSONValue] = [
            "queues": .array(queues), "hasQueues": .bool(!queues.isEmpty),
            "regionOptions": try await request.regionOptions(selected: request.query["region"]),
        ]
        return .page(ConsoleView("queues", title: "queues-title", data: data))
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let id = request.path("id")
        let queues = try await request.read("listQueues").items
        guard let queue = queues.first(where: { $0[member: "id"]?.text == id }) else { throw VigilError.notFound("queue \(id)") }
        let view = try await CaseView.make(request)
        var data: [String: JSONValue] = [
            "queueName": queue[member: "name"] ?? .string(""), "queueId": .string(id),
            "canClaim": .bool(request.principal.has(IncidentOpsPermissions.caseUpdate)),
        ]
        let base = "\(Self.base)/\(ConsoleRequest.pathSegment(id))"
        let status = try await request.listPage("queueView", path: ["id": id], query: request.listQuery(filters: []), base: base, filters: [], into: &data) {
            queued in
            guard case .object(var members) = view.row(queued[member: "incident"] ?? .null) else { return queued }
            members["nextDueAt"] = queued[member: "nextDueAt"] ?? .null
            members["nextDueLocal"] = request.localTime(queued[member: "nextDueAt"], zone: view.zones[members["region"]?.text ?? ""]).map(JSONValue.string)
            return .object(members)
        }
        var page = ConsoleView("queue", title: "queue-title", data: data, status: status, titleDetail: queue[member: "name"]?.text)
        page.live = true
        return .page(page)
    }
}
