import Foundation
import JSONCoding
import Kernel
import VigilServer
import VigilStorage

/// The audit log as an auditor reads it: the latest records or one entity's timeline (redacted
/// where the reader may not see the record, as the API does), and "verify the chain", which walks
/// the whole log and names the first broken link.
struct AuditPages: Sendable {
    let runtime: VigilRuntime

    var all: [ConsolePage] {
        [
            .get("/audit", permission: PlatformPermissions.auditRead, navigation: ConsoleNavigation("nav-audit", order: 810)) { request in
                try await show(request, verification: nil)
            },
            .post("/audit/verify", permission: PlatformPermissions.auditRead) { request in
                try await show(request, verification: try await runtime.audit.verify())
            },
        ]
    }

    func show(_ request: ConsoleRequest, verification: AuditLog.Verification?) async throws -> ConsoleResponse {
        let entityText = (request.query["entity"] ?? "").trimmingCharacters(in: .whitespaces)
        var data: [String: JSONValue] = ["entity": .string(entityText)]
        let views: [AuditView]
        if entityText.isEmpty {
            views = try await runtime.auditReader.recent(for: request.principal, limit: 100)
        } else {
            let parts = entityText.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, entityText.count <= 200 else {
                data["issues"] = ConsoleRequest.issues([FieldIssue("entity", .format, request.text("audit-entity-format"))])
                data["records"] = .array([])
                return .page(ConsoleView("audit", title: "audit-title", data: data, status: 422))
            }
            views = try await runtime.auditReader.timeline(of: EntityRef(parts[0], parts[1]), for: request.principal, limit: 500)
        }
        let home = try await request.homeZone()
        let zones = try await request.regionZones()
        data["records"] = .array(
            views.reversed().map { view in
                .object([
                    "sequence": .integer(view.sequence), "atLocal": .string(request.locale.dateTime(view.at, zone: view.region.flatMap { zones[$0] } ?? home)),
                    "actor": .string(view.actor), "channel": .string(view.channel), "action": .string(view.action),
                    "entity": .string(view.entity),
                    "entityHref": .string("/console/audit?entity=" + (view.entity.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                    "region": .string(view.region ?? "—"), "redacted": .bool(view.redacted),
                    "changes": .string(
                        view.changes.map { change in
                            view.redacted ? change.field : "\(change.field): \(change.before?.jsonText ?? "∅") → \(change.after?.jsonText ?? "∅")"
                        }.joined(separator: "; ")),
                ])
            })
        data["hasRecords"] = .bool(!views.isEmpty)
        if let verification {
            var result: [String: JSONValue] = [
                "intact": .bool(verification.intact), "records": .integer(Int64(verification.recordsChecked)),
                "entities": .integer(Int64(verification.entitiesChecked)),
            ]
            if let broken = verification.firstBroken {
                result["brokenSequence"] = .integer(broken.sequence)
                result["brokenEntity"] = .string(broken.entity)
                result["brokenProblem"] = .string(broken.problem)
            }
            data["verification"] = .object(result)
        }
        return .page(ConsoleView("audit", title: "audit-title", data: data))
    }
}
