import Foundation
import Kernel

/// The ticket rules as tables: priority from impact × urgency, the allowed status moves, and the
/// built-in SLA targets (overridden per type and priority by `it_sla_targets`).
public enum TicketRules {
    /// The ITIL matrix: impact 1 and urgency 1 is P1; 3 and 3 is P5.
    public static func priority(impact: Int, urgency: Int) -> String { "P\(impact + urgency - 1)" }

    public static let priorities = ["P1", "P2", "P3", "P4", "P5"]

    /// `assigned` is reached by assigning, not by a status move.
    public static let transitions: [TicketStatus: Set<TicketStatus>] = [
        .new: [.inProgress, .pending, .resolved, .cancelled],
        .assigned: [.inProgress, .pending, .resolved, .cancelled],
        .inProgress: [.pending, .resolved, .cancelled],
        .pending: [.inProgress, .cancelled],
        .resolved: [.closed, .inProgress],
        .closed: [],
        .cancelled: [],
    ]

    public static func allows(_ from: TicketStatus, _ to: TicketStatus) -> Bool { transitions[from]?.contains(to) ?? false }

    /// Business minutes to own and to resolve, per priority, when no target is set.
    public static let defaultTargets: [String: (own: Int, resolve: Int)] = [
        "P1": (15, 4 * 60), "P2": (30, 8 * 60), "P3": (60, 24 * 60), "P4": (4 * 60, 45 * 60), "P5": (8 * 60, 90 * 60),
    ]
}

/// One SLA target: business minutes to own and to resolve a ticket of a type and priority.
public struct SLATarget: Codable, Sendable, Hashable {
    public let type: TicketType
    public let priority: String
    public let ownMinutes: Int
    public let resolveMinutes: Int
    public let isDefault: Bool
}
