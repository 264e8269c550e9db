import Foundation
import Kernel
import SQLKit

public enum TicketType: String, Codable, Sendable, StoredEnum {
    /// Something broke (a malfunction).
    case incident
    /// Someone needs something (access, a laptop, a printer toner).
    case request
    /// The cause behind one or more incidents.
    case problem
    /// A planned change to IT; an IT manager approves it before it is implemented.
    case change
}

public enum TicketStatus: String, Codable, Sendable, StoredEnum {
    case new, assigned, inProgress = "in-progress", pending, resolved, closed, cancelled

    /// Counted as done: no clock runs, the parent may close.
    public var isDone: Bool { self == .resolved || self == .closed || self == .cancelled }
}

public enum ApprovalState: String, Codable, Sendable, StoredEnum {
    case notRequired = "not-required", pending, approved, rejected
}

/// Why a ticket waits: its clocks stop until it resumes.
public enum PendingReason: String, Codable, Sendable, CaseIterable {
    case requester = "waiting-requester", vendor = "waiting-vendor", change = "waiting-change", delivery = "waiting-delivery"
}

public enum TicketCategory {
    public static let all = ["hardware", "software", "network", "access", "printing", "telephony", "email", "security", "facilities-it", "other"]
}

/// An IT ticket of a site, with its SLA clocks.
public struct Ticket: Codable, Sendable, Hashable {
    public let id: String
    public let reference: String
    public let type: TicketType
    public let category: String
    public let title: String
    public let description: String
    public let siteId: String
    public let region: String
    /// 1 (whole site) … 3 (one person).
    public let impact: Int
    /// 1 (work stopped) … 3 (can wait).
    public let urgency: Int
    public let priority: String
    public let status: TicketStatus
    public let requester: String
    public let groupId: String?
    /// The agent's user id, and who that is (`user:…`).
    public let assignee: String?
    public let assigneeActor: String?
    public let parentId: String?
    public let approval: ApprovalState
    public let approvalBy: String?
    public let approvalAt: Date?
    public let approvalNote: String?
    public let pendingReason: String?
    public let resolution: String?
    public let resolvedAt: Date?
    public let closedAt: Date?
    public let satisfaction: Int?
    public let satisfactionComment: String?
    public let createdAt: Date
    public let createdBy: String
    public let updatedAt: Date
    public let version: Int
    /// Time to own and time to resolve, each with its own deadline.
    public var clocks: [TicketClock]

    var regionCode: RegionCode { RegionCode(stored: region) }
}

extension Ticket: StoredRow {
    /// The ticket's row alone: its clocks are read from `it_ticket_clocks` (`TicketClockStore`).
    public init(_ row: RowReader) throws {
        id = try row["id"]
        reference = try row["reference"]
        type = try row["type"]
        category = try row["category"]
        title = try row["title"]
        description = try row["description"]
        siteId = try row["site_id"]
        region = try row["region"]
        impact = try row["impact"]
        urgency = try row["urgency"]
        priority = try row["priority"]
        status = try row["status"]
        requester = try row["requester"]
        groupId = try row["group_id"]
        assignee = try row["assignee"]
        assigneeActor = try row["assignee_actor"]
        parentId = try row["parent_id"]
        approval = try row["approval"]
        approvalBy = try row["approval_by"]
        approvalAt = try row["approval_at"]
        approvalNote = try row["approval_note"]
        pendingReason = try row["pending_reason"]
        resolution = try row["resolution"]
        resolvedAt = try row["resolved_at"]
        closedAt = try row["closed_at"]
        satisfaction = try row["satisfaction"]
        satisfactionComment = try row["satisfaction_comment"]
        createdAt = try row["created_at"]
        createdBy = try row["created_by"]
        updatedAt = try row["updated_at"]
        version = try row["version"]
        clocks = []
    }
}

public struct TicketInput: Codable, Sendable {
    public var type: String
    public var category: String
    public var title: String
    public var description: String
    public var site: String
    public var impact: Int
    public var urgency: Int
    /// Someone else's email when an agent raises the ticket for them; default the caller.
    public var requester: String?
    /// The parent ticket's reference or id: the parent cannot close while this is open.
    public var parent: String?

    public init(
        type: String, category: String, title: String, description: String, site: String, impact: Int, urgency: Int, requester: String? = nil,
        parent: String? = nil
    ) {
        self.type = type
        self.category = category
        self.title = title
        self.description = description
        self.site = site
        self.impact = impact
        self.urgency = urgency
        self.requester = requester
        self.parent = parent
    }
}
