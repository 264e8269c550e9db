import Foundation
import JSONCoding
import Kernel

/// The shift handover: the outgoing coordinator generates it from live data with their notes, the
/// incoming one reads it (on screen or printed) and acknowledges it; overdue ones are flagged.
struct HandoverPages {
    static let base = "/console/incident-ops/handovers"

    var all: [ConsolePage] {
        [
            .get("/handovers", permission: IncidentOpsPermissions.handoverRead, navigation: ConsoleNavigation("nav-handovers", order: 40), handler: list),
            .post("/handovers/new", permission: IncidentOpsPermissions.handoverWrite, handler: generate),
            .get("/handovers/{id}", permission: IncidentOpsPermissions.handoverRead, handler: show),
            .post("/handovers/{id}/acknowledge", permission: IncidentOpsPermissions.handoverWrite) { request in
                let id = request.path("id")
                return try await request.act("acknowledgeHandover", path: ["id": id], back: "\(Self.base)/\(id)", done: "handover-acknowledged")
            },
        ]
    }

    func list(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let chosen = try await request.chosenRegion()
        let zone = TimeZone(identifier: chosen.timeZone)
        let handovers = try await request.read("listHandovers", query: ["region": chosen.code.rawValue]).items.map { handover -> JSONValue in
            .object([
                "href": .string("\(Self.base)/\(handover[member: "id"]?.text ?? "")"),
                "shiftEndsLocal": .string(request.localTime(handover[member: "shiftEndsAt"], zone: zone) ?? ""),
                "generatedBy": .string(ConsoleRequest.person(handover[member: "generatedBy"]?.text)),
                "acknowledged": .bool(handover[member: "acknowledgedAt"].map { $0 != .null } ?? false),
                "acknowledgedBy": .string(ConsoleRequest.person(handover[member: "acknowledgedBy"]?.text)),
                "overdue": handover[member: "overdue"] ?? .bool(false),
            ])
        }
        let data: [String: JSONValue] = [
            "region": .string(chosen.code.rawValue),
            "regionOptions": try await request.regionOptions(selected: chosen.code.rawValue),
            "handovers": .array(handovers), "hasHandovers": .bool(!handovers.isEmpty),
            "canWrite": .bool(request.principal.has(IncidentOpsPermissions.handoverWrite)),
        ]
        return .page(ConsoleView("handovers", title: "handovers-title", data: data, titleDetail: chosen.name))
    }

    func generate(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let region = request.form.single("region") ?? ""
        do {
            let response = try await request.submit("generateHandover")
            let handover = try JSONValue.parse(response.body)
            return .redirect("\(Self.base)/\(handover[member: "id"]?.text ?? "")", .success("handover-generated"))
        } catch let error as VigilError where error.kind != .notFound && error.kind != .forbidden && error.kind != .unauthorized {
            return .redirect("\(Self.base)?region=\(ConsoleRequest.pathSegment(region))", try await request.refusal(error))
        }
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let handover = try await request.read("getHandover", path: ["id": request.path("id")])
        let zones = try await request.regionZones()
        let zone = zones[handover[member: "region"]?.text ?? ""]
        let snapshot = handover[member: "snapshot"]
        let lines = { (name: String) -> JSONValue in
            let items: [JSONValue] =
                snapshot?[member: name]?.items.map { line in
                    .object([
                        "reference": line[member: "reference"] ?? .string(""), "severity": line[member: "severity"] ?? .string(""),
                        "status": .string(request.text("value-status-\(line[member: "status"]?.text ?? "")")),
                        "category": .string(request.text("value-category-\(line[member: "category"]?.text ?? "")")),
                        "openedLocal": .string(request.localTime(line[member: "openedAt"], zone: zone) ?? ""),
                        "detail": line[member: "detail"] ?? .null,
                    ])
                } ?? []
            return .object(["items": .array(items), "hasItems": .bool(!items.isEmpty)])
        }
        let counts = { (name: String) -> JSONValue in
            guard case .object(let members)? = snapshot?[member: name] else { return .array([]) }
            return .array(members.sorted { $0.key < $1.key }.map { .object(["name": .string($0.key), "count": $0.value]) })
        }
        let acknowledged = handover[member: "acknowledgedAt"].map { $0 != .null } ?? false
        let data: [String: JSONValue] = [
            "id": handover[member: "id"] ?? .string(""), "region": handover[member: "region"] ?? .string(""),
            "shiftEndsLocal": .string(request.localTime(handover[member: "shiftEndsAt"], zone: zone) ?? ""),
            "generatedLocal": .string(request.localTime(handover[member: "generatedAt"], zone: zone) ?? ""),
            "generatedBy": .string(ConsoleRequest.person(handover[member: "generatedBy"]?.text)),
            "notes": handover[member: "notes"] ?? .null, "overdue": handover[member: "overdue"] ?? .bool(false),
            "acknowledged": .bool(acknowledged),
            "acknowledgedBy": .string(ConsoleRequest.person(handover[member: "acknowledgedBy"]?.text)),
            "acknowledgedLocal": .string(request.localTime(handover[member: "acknowledgedAt"], zone: zone) ?? ""),
            // The incoming coordinator acknowledges; its author cannot (the service says so too).
            "canAcknowledge": .bool(
                !acknowledged && request.principal.has(IncidentOpsPermissions.handoverWrite)
                    && handover[member: "generatedBy"]?.text != request.principal.actor),
            "openByStatus": counts("openByStatus"), "openByAge": counts("openByAge"),
            "breached": lines("breached"), "atRisk": lines("atRisk"), "escalationsOpen": lines("escalationsOpen"),
            "unassigned": lines("unassigned"), "notable": lines("notable"),
            "unassignedCount": snapshot?[member: "unassignedCount"] ?? .integer(0),
        ]
        return .page(ConsoleView("handover", title: "handover-title", data: data, titleDetail: handover[member: "region"]?.text))
    }
}
