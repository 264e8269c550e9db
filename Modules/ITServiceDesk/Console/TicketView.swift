import Foundation
import JSONCoding
import Kernel

/// A ticket from the API's JSON as a page shows it: labels in the viewer's language, times in the
/// ticket's region's clock, its SLA clocks with their deadlines for the page's countdowns.
struct TicketView {
    let request: ConsoleRequest
    let zones: [String: TimeZone]

    static func make(_ request: ConsoleRequest) async throws -> TicketView {
        TicketView(request: request, zones: try await request.regionZones())
    }

    func row(_ ticket: JSONValue) -> JSONValue {
        guard case .object(var members) = ticket else { return ticket }
        let zone = zones[members["region"]?.text ?? ""]
        let text = request.text
        for field in ["status", "type", "category", "approval"] {
            if let value = members[field]?.text { members[field + "Label"] = .string(text("value-\(field)-\(value)")) }
        }
        if let priority = members["priority"]?.text { members["priorityClass"] = .string(priority.lowercased()) }
        members["assigneeName"] = .string(ConsoleRequest.person(members["assigneeActor"]?.text))
        members["requesterName"] = .string(ConsoleRequest.person(members["requester"]?.text))
        for field in ["createdAt", "updatedAt", "resolvedAt", "closedAt", "approvalAt"] {
            if let local = request.localTime(members[field], zone: zone) { members[field + "Local"] = .string(local) }
        }
        if let id = members["id"]?.text { members["href"] = .string("\(TicketPages.base)/\(id)") }
        return .object(members)
    }

    func clock(_ clock: JSONValue, zone: TimeZone?) -> JSONValue {
        guard case .object(var members) = clock else { return clock }
        if let kind = members["kind"]?.text { members["kindLabel"] = .string(request.text("value-clock-\(kind)")) }
        if let state = members["state"]?.text {
            members["stateLabel"] = .string(request.text("value-clock-state-\(state)"))
            members["running"] = .bool(state == "running")
        }
        if let due = members["dueAt"] { members["dueLocal"] = request.localTime(due, zone: zone).map(JSONValue.string) }
        return .object(members)
    }
}
