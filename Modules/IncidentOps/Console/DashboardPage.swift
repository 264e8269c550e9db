import Foundation
import JSONCoding
import Kernel

/// The coordinator's dashboard of one region: each queue's open and unassigned cases, its oldest
/// wait and its SLA trouble with the next deadline ticking; the escalations awaiting an
/// acknowledgement; who is on shift with their load; the hours of the next day without enough
/// people. Live: it refreshes itself when the desk changes. `?wall=1` is the wall-display mode
/// (large type, no navigation).
struct DashboardPage {
    static let path = "/console/incident-ops"

    var all: [ConsolePage] {
        [
            .get("", permission: IncidentOpsPermissions.caseRead, navigation: ConsoleNavigation("nav-dashboard", order: 10, shortcut: "d"), handler: show),
            .post("/escalations/{id}/acknowledge", permission: IncidentOpsPermissions.escalationRespond) { request in
                try await request.act(
                    "acknowledgeEscalation", path: ["id": request.path("id")], back: DashboardPage.back(request), done: "escalation-acknowledged")
            },
        ]
    }

    /// Back to the dashboard of the region the form was sent from.
    static func back(_ request: ConsoleRequest) -> String {
        guard let region = request.form.single("_region"), RegionCode(region) != nil else { return path }
        return path + "?region=" + region
    }

    /// The region's latest handover: when its shift ended, who wrote it, and whether the incoming
    /// coordinator has acknowledged it (or is late to). Nil for those who may not read handovers,
    /// or when the region has none yet.
    static func handoverStatus(_ request: ConsoleRequest, region: String, zone: TimeZone?) async throws -> JSONValue? {
        guard request.principal.has(IncidentOpsPermissions.handoverRead),
            let latest = try await request.read("listHandovers", query: ["region": region, "limit": "1"]).items.first
        else { return nil }
        let acknowledged = latest[member: "acknowledgedAt"].map { $0 != .null } ?? false
        return .object([
            "href": .string("\(HandoverPages.base)/\(latest[member: "id"]?.text ?? "")"),
            "shiftEndsLocal": .string(request.localTime(latest[member: "shiftEndsAt"], zone: zone) ?? ""),
            "generatedBy": .string(ConsoleRequest.person(latest[member: "generatedBy"]?.text)),
            "acknowledged": .bool(acknowledged),
            "acknowledgedBy": .string(ConsoleRequest.person(latest[member: "acknowledgedBy"]?.text)),
            "acknowledgedLocal": .string(request.localTime(latest[member: "acknowledgedAt"], zone: zone) ?? ""),
            "overdue": .bool(!acknowledged && latest[member: "overdue"] == .bool(true)),
        ])
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let chosen = try await request.chosenRegion()
        let region = chosen.code.rawValue
        let zone = TimeZone(identifier: chosen.timeZone)
        let workload = try await request.read("workload", query: ["region": region])
        // The board shows the oldest 30 waiting: the inbox page of the API has the rest.
        let escalations = try await request.read("escalationInbox", query: ["region": region, "state": "open", "limit": "30"])
        let coverage = try await request.read("coverage", query: ["region": region])
        let text = request.text

        let queues =
            workload[member: "queues"]?.items.map { queue -> JSONValue in
                var row: [String: JSONValue] = [
                    // Cases outside any queue come as a row without an id, named here in the viewer's language.
                    "name": queue[member: "queueId"]?.text == nil ? .string(text("dashboard-no-queue")) : queue[member: "name"] ?? .string(""),
                    "open": queue[member: "open"] ?? .integer(0),
                    "waiting": queue[member: "waiting"] ?? .integer(0), "slaAtRisk": queue[member: "slaAtRisk"] ?? .integer(0),
                    "slaBreached": queue[member: "slaBreached"] ?? .integer(0),
                    "hasBreached": .bool((queue[member: "slaBreached"].flatMap(\.intValue) ?? 0) > 0),
                    "hasAtRisk": .bool((queue[member: "slaAtRisk"].flatMap(\.intValue) ?? 0) > 0),
                ]
                if let oldest = queue[member: "oldestWaitingAt"]?.text {
                    row["oldestWaitingAt"] = .string(oldest)
                    row["oldestWaitingLocal"] = request.localTime(.string(oldest), zone: zone).map(JSONValue.string)
                }
                if let due = queue[member: "nextDueAt"]?.text {
                    row["nextDueAt"] = .string(due)
                    row["nextDueLocal"] = request.localTime(.string(due), zone: zone).map(JSONValue.string)
                }
                if let id = queue[member: "queueId"]?.text { row["queueId"] = .string(id) }
                return .object(row.compactMapValues { $0 })
            } ?? []
        let analysts =
            workload[member: "analysts"]?.items.filter { $0[member: "onShift"] == .bool(true) }.map { analyst -> JSONValue in
                let actor = analyst[member: "analyst"]?.text ?? ""
                let active = analyst[member: "activeCases"].flatMap(\.intValue) ?? 0
                let capacity = analyst[member: "capacity"].flatMap(\.intValue) ?? 0
                return .object([
                    "name": .string(ConsoleRequest.person(actor)), "load": .string("\(active)/\(capacity)"),
                    "full": .bool(active >= capacity), "slaBreached": analyst[member: "slaBreached"] ?? .integer(0),
                    "slaAtRisk": analyst[member: "slaAtRisk"] ?? .integer(0),
                ])
            } ?? []
        let canAcknowledge = request.principal.has(IncidentOpsPermissions.escalationRespond)
        let open = escalations.items
        let escalationRows = open.map { escalation -> JSONValue in
            let trigger = escalation[member: "trigger"]?.text ?? ""
            var row: [String: JSONValue] = [
                "id": escalation[member: "id"] ?? .string(""), "reason": escalation[member: "reason"] ?? .string(""),
                "trigger": .string(text("value-trigger-\(trigger)")), "level": escalation[member: "level"] ?? .integer(1),
                "href": .string("/console/incident-ops/cases/\(escalation[member: "caseId"]?.text ?? "")"),
                "canAcknowledge": .bool(canAcknowledge),
            ]
            if let raised = escalation[member: "raisedAt"]?.text { row["raisedLocal"] = request.localTime(.string(raised), zone: zone).map(JSONValue.string) }
            if let next = escalation[member: "nextLevelAt"]?.text {
                // The time itself, for a page without JavaScript; vigil.js turns it into a countdown.
                row["nextLevelAt"] = .string(next)
                row["nextLevelLocal"] = request.localTime(.string(next), zone: zone).map(JSONValue.string)
            }
            return .object(row.compactMapValues { $0 })
        }
        let gaps = coverage.items.filter { slot in
            (slot[member: "gaps"]?.items.isEmpty == false)
        }.prefix(12).map { slot -> JSONValue in
            .object([
                "from": .string(request.localTime(slot[member: "from"], zone: zone) ?? ""),
                "gaps": .string(slot[member: "gaps"]?.items.compactMap(\.text).joined(separator: "; ") ?? ""),
                "capacity": slot[member: "capacity"] ?? .integer(0),
                "expected": .string(String(format: "%.1f", slot[member: "expectedCases"].flatMap(\.doubleValue) ?? 0)),
            ])
        }
        let handover = try await Self.handoverStatus(request, region: region, zone: zone)
        var view = ConsoleView(
            "dashboard", title: "dashboard-title",
            data: [
                "region": .string(region), "regionName": .string(chosen.name),
                "regionOptions": try await request.regionOptions(selected: region),
                "queues": .array(queues), "hasQueues": .bool(!queues.isEmpty),
                "analysts": .array(analysts), "hasAnalysts": .bool(!analysts.isEmpty),
                "escalations": .array(escalationRows), "hasEscalations": .bool(!escalationRows.isEmpty),
                "gaps": .array(Array(gaps)), "hasGaps": .bool(!gaps.isEmpty),
                "updatedLocal": .string(request.locale.dateTime(request.context.clock.now(), zone: zone)),
                "handover": handover ?? .null, "seesHandovers": .bool(request.principal.has(IncidentOpsPermissions.handoverRead)),
            ], titleDetail: chosen.name)
        view.live = true
        return .page(view)
    }
}
