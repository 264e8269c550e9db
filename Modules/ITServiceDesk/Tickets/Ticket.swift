import Foundation
import Kernel
import SQLKit

public enum TicketType: String, Codable, Sendable, CaseIterable {
    /// Something broke (a malfunction).
    case incident
    /// Someone needs something (access, a laptop, a printer toner).
    case request
    /// The cause behind one or more incidents.
    case problem
    /// A planned change to IT; an IT manager approves it before it is implemented.
    case change
}

public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case new, assigned, inProgress = "in-progress", pending, resolved, closed, cancelled

    /// Counted as done: no clock runs, the parent may close.
    public var isDone: Bool { self == .resolved || self == .closed || self == .cancelled }
}

public enum ApprovalState: String, Codable, Sendable {
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

    static let columns = """
        id, reference, type, category, title, description, site_id, region, impact, urgency, priority, status, requester, group_id, assignee, assignee_actor, parent_id, \
        approval, approval_by, approval_at, approval_note, pending_reason, resolution, resolved_at, closed_at, satisfaction, satisfaction_comment, \
        created_at, created_by, updated_at, version
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        reference = try row.decode(column: "reference", as: String.self)
        type = try row.decode("type", as: TicketType.self)
        category = try row.decode(column: "category", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        description = try row.decode(column: "description", as: String.self)
        siteId = try row.decode(column: "site_id", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        impact = try row.decode(column: "impact", as: Int.self)
        urgency = try row.decode(column: "urgency", as: Int.self)
        priority = try row.decode(column: "priority", as: String.self)
        status = try row.decode("status", as: TicketStatus.self)
        requester = try row.decode(column: "requester", as: String.self)
        groupId = try row.optional("group_id", as: String.self)
        assignee = try row.optional("assignee", as: String.self)
        assigneeActor = try row.optional("assignee_actor", as: String.self)
        parentId = try row.optional("parent_id", as: String.self)
        approval = try row.decode("approval", as: ApprovalState.self)
        approvalBy = try row.optional("approval_by", as: String.self)
        approvalAt = try row.optional("approval_at", as: Int64.self).map(Date.init(epochMicros:))
        approvalNote = try row.optional("approval_note", as: String.self)
        pendingReason = try row.optional("pending_reason", as: String.self)
        resolution = try row.optional("resolution", as: String.self)
        resolvedAt = try row.optional("resolved_at", as: Int64.self).map(Date.init(epochMicros:))
        closedAt = try row.optional("closed_at", as: Int64.self).map(Date.init(epochMicros:))
        satisfaction = try row.optional("satisfaction", as: Int.self)
        satisfactionComment = try row.optional("satisfaction_comment", as: String.self)
        createdAt = Date(epochMicros: try row.decode(column: "created_at", as: Int64.self))
        createdBy = try row.decode(column: "created_by", as: String.self)
        updatedAt = Date(epochMicros: try row.decode(column: "updated_at", as: Int64.self))
        version = try row.decode(column: "version", as: Int.self)
        clocks = []
    }

    var regionCode: RegionCode { RegionCode(stored: region) }
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
