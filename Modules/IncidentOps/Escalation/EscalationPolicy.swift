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
    public enum Trigger: String, Codable, Sendable { case severity, category, slaBreach = "sla-breach", slaWarning = "sla-warning", manual }
    public enum State: String, Codable, Sendable { case open, acknowledged, closed }

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

    static let columns = """
        id, case_id, region, trigger_kind, reason, level, target_roles, state, raised_at, raised_by, level_since, next_level_at, \
        acknowledged_at, acknowledged_by, closed_at, closed_by
        """

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

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        caseId = try row.decode(column: "case_id", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        trigger = try row.decode("trigger_kind", as: Trigger.self)
        reason = try row.decode(column: "reason", as: String.self)
        level = try row.decode(column: "level", as: Int.self)
        targetRoles = CommaList.items(try row.decode(column: "target_roles", as: String.self))
        state = try row.decode("state", as: State.self)
        raisedAt = Date(epochMicros: try row.decode(column: "raised_at", as: Int64.self))
        raisedBy = try row.decode(column: "raised_by", as: String.self)
        levelSince = Date(epochMicros: try row.decode(column: "level_since", as: Int64.self))
        nextLevelAt = try row.optional("next_level_at", as: Int64.self).map(Date.init(epochMicros:))
        acknowledgedAt = try row.optional("acknowledged_at", as: Int64.self).map(Date.init(epochMicros:))
        acknowledgedBy = try row.optional("acknowledged_by", as: String.self)
        closedAt = try row.optional("closed_at", as: Int64.self).map(Date.init(epochMicros:))
        closedBy = try row.optional("closed_by", as: String.self)
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
