import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Who an escalation reaches at each level, and how long each level has to acknowledge before
/// the next one is called.
public struct EscalationLevel: Codable, Sendable, Hashable {
    public let role: ShiftEntry.Role
    /// nil: the last level, which stays until acknowledged.
    public let waitMinutes: Int?
}

/// A region's escalation rules: what raises an escalation, and its chain.
public struct EscalationPolicy: Codable, Sendable, Hashable {
    public let region: String
    /// Cases at or above this severity escalate at intake (S1 reaches level 1 and 2 at once).
    public let severityAtOrAbove: Severity?
    public let categories: [String]
    public let onBreach: Bool
    public let onWarning: Bool
    public let levels: [EscalationLevel]
    public let isDefault: Bool

    public static func builtIn(region: String) -> EscalationPolicy {
        EscalationPolicy(
            region: region, severityAtOrAbove: .s1, categories: ["assault", "harassment", "threat"], onBreach: true, onWarning: false,
            levels: [EscalationLevel(role: .specialist, waitMinutes: 10), EscalationLevel(role: .coordinator, waitMinutes: nil)], isDefault: true)
    }

    static func cached(region: String, context: DomainContext, on sql: any SQLDatabase) async throws -> EscalationPolicy {
        try await DeskCaches.escalationPolicies.value(DeskCaches.key(region), database: context.database, now: context.clock.now()) {
            try await load(region: region, on: sql)
        }
    }

    static func load(region: String, on sql: any SQLDatabase) async throws -> EscalationPolicy {
        guard let row = try await sql.raw("SELECT policy FROM incident_escalation_policies WHERE region = \(bind: region)").first() else {
            return .builtIn(region: region)
        }
        return try VigilJSON.decoder.decode(EscalationPolicy.self, from: Data(try row.decode(column: "policy", as: String.self).utf8))
    }
}

/// An escalation of one case: raised by a rule or a person, climbing its chain until someone
/// acknowledges it, closed when resolved or de-escalated.
public struct Escalation: Codable, Sendable, Hashable {
    public enum Trigger: String, Codable, Sendable, StoredEnum { case severity, category, slaBreach = "sla-breach", slaWarning = "sla-warning", manual }
    public enum State: String, Codable, Sendable, StoredEnum { case open, acknowledged, closed }

    public let id: String
    public let caseId: String
    public let region: String
    public let trigger: Trigger
    public let reason: String
    public internal(set) var level: Int
    public internal(set) var targetRoles: [String]
    public internal(set) var state: State
    public let raisedAt: Date
    public let raisedBy: String
    public internal(set) var levelSince: Date
    public internal(set) var nextLevelAt: Date?
    public internal(set) var acknowledgedAt: Date?
    public internal(set) var acknowledgedBy: String?
    public internal(set) var closedAt: Date?
    public internal(set) var closedBy: String?

    init(
        id: String, caseId: String, region: String, trigger: Trigger, reason: String, level: Int, targetRoles: [String], raisedAt: Date, raisedBy: String,
        nextLevelAt: Date?
    ) {
        self.id = id
        self.caseId = caseId
        self.region = region
        self.trigger = trigger
        self.reason = reason
        self.level = level
        self.targetRoles = targetRoles
        self.state = .open
        self.raisedAt = raisedAt
        self.raisedBy = raisedBy
        self.levelSince = raisedAt
        self.nextLevelAt = nextLevelAt
    }
}

extension Escalation: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        caseId = try row["case_id"]
        region = try row["region"]
        trigger = try row["trigger_kind"]
        reason = try row["reason"]
        level = try row["level"]
        targetRoles = try row["target_roles"]
        state = try row["state"]
        raisedAt = try row["raised_at"]
        raisedBy = try row["raised_by"]
        levelSince = try row["level_since"]
        nextLevelAt = try row["next_level_at"]
        acknowledgedAt = try row["acknowledged_at"]
        acknowledgedBy = try row["acknowledged_by"]
        closedAt = try row["closed_at"]
        closedBy = try row["closed_by"]
    }
}

/// `incident-ops.escalation.raised` and `…escalation.level-changed`: who must look now.
public struct EscalationNotice: DomainEventPayload, Equatable {
    public static let eventType = "incident-ops.escalation.notice"
    public static let eventVersion = 1
    public let escalationId: String
    public let caseId: String
    public let region: String
    public let level: Int
    public let roles: [String]
    /// The people on shift in those roles now (actors); empty when nobody is.
    public let onShift: [String]
    public let what: String
}
