import Foundation
import JSONCoding
import Kernel
import SQLKit

/// What a coordinator sends to set a region's escalation rules.
public struct EscalationPolicyInput: Codable, Sendable {
    public struct Level: Codable, Sendable {
        public var role: String
        public var waitMinutes: Int?
        public init(role: String, waitMinutes: Int?) {
            self.role = role
            self.waitMinutes = waitMinutes
        }
    }

    /// Cases at or above this severity escalate at intake; nil: none by severity.
    public var severityAtOrAbove: String?
    public var categories: [String]
    public var onBreach: Bool
    public var onWarning: Bool
    public var levels: [Level]

    public init(severityAtOrAbove: String?, categories: [String], onBreach: Bool, onWarning: Bool, levels: [Level]) {
        self.severityAtOrAbove = severityAtOrAbove
        self.categories = categories
        self.onBreach = onBreach
        self.onWarning = onWarning
        self.levels = levels
    }

    func validated(region: RegionCode) throws(VigilError) -> EscalationPolicy {
        var validator = Validator()
        let severity = severityAtOrAbove.map { Severity(rawValue: $0.uppercased()) }
        validator.check(severity != .some(nil), "severityAtOrAbove", .notAllowed, "must be one of S1, S2, S3, S4, or absent for none")
        let unknown = categories.filter { !CaseCategory.all.contains($0) }
        validator.check(
            unknown.isEmpty, "categories", .notAllowed,
            "unknown categories \(unknown.joined(separator: ", ")); known: \(CaseCategory.all.joined(separator: ", "))")
        validator.check((1...5).contains(levels.count), "levels", .outOfRange, "give 1 to 5 levels")
        var parsed: [EscalationLevel] = []
        for (index, level) in levels.enumerated() {
            let role = ShiftEntry.Role(rawValue: level.role)
            validator.check(
                role != nil, "levels[\(index)].role", .notAllowed, "must be one of \(ShiftEntry.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            if index == levels.count - 1 {
                validator.check(
                    level.waitMinutes == nil, "levels[\(index)].waitMinutes", .notAllowed, "the last level has no wait: it stays until acknowledged")
            } else {
                validator.check(
                    level.waitMinutes.map { (1...1_440).contains($0) } ?? false, "levels[\(index)].waitMinutes", .outOfRange,
                    "must be 1 to 1440 minutes before the next level is called")
            }
            if let role { parsed.append(EscalationLevel(role: role, waitMinutes: level.waitMinutes)) }
        }
        try validator.finish()
        return EscalationPolicy(
            region: region.rawValue, severityAtOrAbove: severity ?? nil, categories: Array(Set(categories)).sorted(),
            onBreach: onBreach, onWarning: onWarning, levels: parsed, isDefault: false)
    }
}

/// A region's escalation rules: read (built-in until set), and set by a coordinator with an audit
/// record. A change applies to escalations raised after it.
public struct EscalationPolicyService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func policy(region: RegionCode, by principal: Principal) async throws -> EscalationPolicy {
        try principal.require(IncidentOpsPermissions.caseRead)
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        _ = try await context.regions.require(region)
        return try await EscalationPolicy.load(region: region.rawValue, on: context.database.sql)
    }

    public func set(region: RegionCode, _ input: EscalationPolicyInput, by invocation: Invocation) async throws -> EscalationPolicy {
        try invocation.principal.require(IncidentOpsPermissions.deskManage)
        try await context.requireWritable(region, by: invocation.principal)
        let policy = try input.validated(region: region)
        let text = try JSONValueEncoder.encode(policy).jsonText
        // After commit, so no intake reloads the old rules in between.
        defer { DeskCaches.escalationPolicies.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            let previous = try await EscalationPolicy.load(region: region.rawValue, on: tx.sql)
            try await tx.sql.raw(
                """
                INSERT INTO incident_escalation_policies (region, policy, updated_at, updated_by)
                VALUES (\(bind: region.rawValue), \(bind: text), \(bind: tx.now.epochMicros), \(bind: tx.principal.actor))
                ON CONFLICT (region) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "incident-ops.escalation.policy.set", entity: EntityRef("incident-ops.escalation-policy", region.rawValue),
                    region: region, changes: try FieldChange.diff(before: previous, after: policy), isCreation: false))
            return policy
        }
    }
}
