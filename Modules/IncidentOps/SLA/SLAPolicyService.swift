import Foundation
import Kernel

/// SLA policies per region × business line × severity; each change is audited and applies to
/// cases opened after it (a case keeps the targets it started with).
public struct SLAPolicyService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func set(_ input: SLAPolicyInput, by invocation: Invocation) async throws -> SLAPolicy {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.slaManage)
        let policy = try input.validated()
        let region = RegionCode(stored: policy.region)
        try await context.requireWritable(region, by: principal)
        // After commit, so no intake reloads the old value in between.
        defer { DeskCaches.slaPolicies.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            let previous = try await SLAPolicyStore().upsert(policy, at: tx.now, by: tx.principal.actor, on: tx.sql)
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.sla.policy.set",
                    entity: EntityRef("incident-ops.sla-policy", "\(policy.region)/\(policy.businessLine.rawValue)/\(policy.severity.rawValue)"),
                    region: region, changes: try FieldChange.diff(before: previous, after: policy), isCreation: false))
            return policy
        }
    }

    /// The policies of a region (or all), with the built-in ones where a region has none.
    public func list(region: RegionCode?, by principal: Principal) async throws -> [SLAPolicy] {
        try principal.require(IncidentOpsPermissions.caseRead)
        if let region { try context.authorization.requireVisible(principal, region: region, entity: "region \(region)") }
        let stored = try await SLAPolicyStore().list(region: region?.rawValue, on: context.database.sql)
            .filter { principal.canAccess(RegionCode(stored: $0.region)) }
        guard let region else { return stored }
        return BusinessLine.allCases.flatMap { line in
            Severity.allCases.map { severity in
                stored.first { $0.businessLine == line && $0.severity == severity } ?? .builtIn(region: region.rawValue, businessLine: line, severity: severity)
            }
        }
    }
}
