import Foundation
import Kernel
import SQLKit

/// How the desk's records read in the audit log. A case's records (and its escalations', which
/// carry its id and the reason it escalated) are for those who may read the case: another
/// region's are hidden, and a sensitive case shows an auditor without sensitive access who did
/// what and when, not what was written. People name cases by reference.
extension CaseService {
    func auditedEntities() -> [AuditedEntity] {
        [
            AuditedEntity(
                type: "incident-ops.case",
                resolve: { reference in
                    try await store.find(reference, on: context.database.sql)?.id
                },
                access: { id, principal in
                    try await auditAccess(caseID: id, principal: principal)
                },
                recordAccess: { action, changes, principal in
                    // A link or a merge names the other case: its values are for those who may see it.
                    guard action == "incident-ops.case.link" || action == "incident-ops.case.merge" else { return .full }
                    for reference in Self.referencesNamed(in: changes) {
                        guard let other = try await store.find(reference, on: context.database.sql), isVisible(other, to: principal) else { return .redacted }
                    }
                    return .full
                }),
            AuditedEntity(
                type: "incident-ops.escalation", resolve: { _ in nil },
                access: { id, principal in
                    let row = try await context.database.sql.raw("SELECT case_id FROM incident_escalations WHERE id = \(bind: id)").first()
                    guard let caseID = try row?.decode(column: "case_id", as: String.self) else { return .full }
                    return try await auditAccess(caseID: caseID, principal: principal)
                }),
        ]
    }

    /// Case references (`INC-2026-000123`) in a record's values: "related INC-…", "mergedInto".
    static func referencesNamed(in changes: [FieldChange]) -> [String] {
        changes.flatMap { change in
            [change.before, change.after].compactMap { value -> String? in
                guard case .string(let text)? = value else { return nil }
                return text
            }
        }.flatMap { $0.split(separator: " ").filter { $0.hasPrefix("INC-") }.map(String.init) }
    }

    private func auditAccess(caseID: String, principal: Principal) async throws -> AuditAccess {
        guard let incident = try await store.find(caseID, on: context.database.sql) else { return .full }
        guard principal.canAccess(incident.region) else { return .hidden }
        return isVisible(incident, to: principal) ? .full : .redacted
    }
}
