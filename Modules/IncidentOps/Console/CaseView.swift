import Foundation
import JSONCoding
import Kernel

/// A case from the API's JSON as a page shows it: the same fields, plus their labels in the
/// viewer's language and its times in its region's clock.
struct CaseView {
    let request: ConsoleRequest
    let zones: [String: TimeZone]

    static func make(_ request: ConsoleRequest) async throws -> CaseView {
        CaseView(request: request, zones: try await request.regionZones())
    }

    func row(_ incident: JSONValue) -> JSONValue {
        guard case .object(var members) = incident else { return incident }
        let zone = zones[members["region"]?.text ?? ""]
        let text = request.text
        if let status = members["status"]?.text { members["statusLabel"] = .string(text("value-status-\(status)")) }
        if let severity = members["severity"]?.text {
            members["severityLabel"] = .string(severity)
            members["severityClass"] = .string(severity.lowercased())
        }
        if let category = members["category"]?.text { members["categoryLabel"] = .string(text("value-category-\(category)")) }
        if let line = members["businessLine"]?.text { members["businessLineLabel"] = .string(text("value-businessLine-\(line)")) }
        if let urgency = members["urgency"]?.text { members["urgencyLabel"] = .string(text("value-urgency-\(urgency)")) }
        if let code = members["resolutionCode"]?.text { members["resolutionLabel"] = .string(text("value-resolutionCode-\(code)")) }
        for field in ["createdAt", "updatedAt", "occurredAt", "resolvedAt", "closedAt", "assignedAt"] {
            if let local = request.localTime(members[field], zone: zone) { members[field + "Local"] = .string(local) }
        }
        if let id = members["id"]?.text { members["href"] = .string("/console/incident-ops/cases/\(id)") }
        return .object(members)
    }
}
