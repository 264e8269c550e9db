import Foundation
import JSONCoding
import Kernel

/// The case page's links (duplicate of, related, parent of, child of) and merge: an analyst links
/// the report another rider made of the same incident, then merges the duplicate into the case it
/// duplicates — the duplicate is closed and both timelines keep the story.
struct CaseLinkPages {
    var all: [ConsolePage] {
        [
            .post("/cases/{id}/link", permission: IncidentOpsPermissions.caseUpdate) { request in
                try await back(request, "linkCase", done: "case-linked")
            },
            .post("/cases/{id}/merge", permission: IncidentOpsPermissions.caseUpdate) { request in
                try await back(request, "mergeCase", done: "case-merged")
            },
        ]
    }

    func back(_ request: ConsoleRequest, _ operationID: String, done: String) async throws -> ConsoleResponse {
        let id = request.path("id")
        return try await request.act(operationID, path: ["id": id], back: "\(CasePages.base)/\(id)#links-title", done: done)
    }

    /// The case's links as the page lists them, and the choices of the link form.
    static func data(_ request: ConsoleRequest, id: String) async throws -> [String: JSONValue] {
        let links: [JSONValue] = try await request.read("caseLinks", path: ["id": id]).items.map { link in
            .object([
                "reference": link[member: "reference"] ?? .string(""),
                "href": .string("\(CasePages.base)/\(link[member: "caseId"]?.text ?? "")"),
                "kindLabel": .string(request.text("value-link-\(link[member: "kind"]?.text ?? "")")),
                "statusLabel": .string(request.text("value-status-\(link[member: "status"]?.text ?? "")")),
            ])
        }
        return [
            "links": .array(links), "hasLinks": .bool(!links.isEmpty),
            "linkKinds": request.options("link", CaseLinkKind.allCases.map(\.rawValue), selected: nil),
        ]
    }
}
