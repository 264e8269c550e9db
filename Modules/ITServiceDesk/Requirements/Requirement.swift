import Calendars
import Foundation
import Kernel
import SQLKit

public enum RequirementStatus: String, Codable, Sendable, CaseIterable { case new, accepted, deferred, rejected }
public enum TaskStatus: String, Codable, Sendable, CaseIterable { case todo, doing, blocked, done }

/// An IT requirement of a site and, once accepted, its response plan.
public struct Requirement: Codable, Sendable, Hashable {
    public let id: String
    public let reference: String
    public let requester: String
    public let title: String
    public let businessNeed: String
    public let site: String
    public let region: String
    public let desiredDate: LocalDate?
    public let priority: String
    public let estimatedCost: Int64
    public let currency: String
    public let status: RequirementStatus
    public let decisionReason: String?
    public let decidedBy: String?
    public let tasks: [PlanTask]
    /// The plan's progress: its tasks' progress averaged (0 without tasks).
    public let progress: Int
    public let version: Int

    static let select = """
        SELECT r.id, r.reference, r.requester, r.title, r.business_need, s.code AS site, r.region, r.desired_date, r.priority, r.estimated_cost, r.currency,
            r.status, r.decision_reason, r.decided_by, r.version
        FROM it_requirements r JOIN it_sites s ON s.id = r.site_id
        """

    init(row: any SQLRow, tasks: [PlanTask]) throws {
        id = try row.decode(column: "id", as: String.self)
        reference = try row.decode(column: "reference", as: String.self)
        requester = try row.decode(column: "requester", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        businessNeed = try row.decode(column: "business_need", as: String.self)
        site = try row.decode(column: "site", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        desiredDate = try row.optionalDate("desired_date")
        priority = try row.decode(column: "priority", as: String.self)
        estimatedCost = try row.decode(column: "estimated_cost", as: Int64.self)
        currency = try row.decode(column: "currency", as: String.self)
        status = try row.decode("status", as: RequirementStatus.self)
        decisionReason = try row.optional("decision_reason", as: String.self)
        decidedBy = try row.optional("decided_by", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
        self.tasks = tasks
        progress = tasks.isEmpty ? 0 : tasks.map(\.progress).reduce(0, +) / tasks.count
    }

    var regionCode: RegionCode { RegionCode(stored: region) }
}

public struct PlanTask: Codable, Sendable, Hashable {
    public let id: String
    public let title: String
    public let owner: String
    public let dueDate: LocalDate
    public let status: TaskStatus
    public let progress: Int
    public let dependsOn: [String]
    public let budgetLineId: String?
    public let version: Int

    static let columns = "id, title, owner, due_date, status, progress, depends_on, budget_line_id, version"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        owner = try row.decode(column: "owner", as: String.self)
        dueDate = try row.date("due_date")
        status = try row.decode("status", as: TaskStatus.self)
        progress = try row.decode(column: "progress", as: Int.self)
        dependsOn = CommaList.items(try row.decode(column: "depends_on", as: String.self))
        budgetLineId = try row.optional("budget_line_id", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
    }
}

public struct RequirementInput: Codable, Sendable {
    public var title: String
    public var businessNeed: String
    public var site: String
    public var desiredDate: String?
    public var priority: String
    public var estimatedCost: Int64
    public var currency: String

    public init(title: String, businessNeed: String, site: String, desiredDate: String? = nil, priority: String, estimatedCost: Int64, currency: String) {
        self.title = title
        self.businessNeed = businessNeed
        self.site = site
        self.desiredDate = desiredDate
        self.priority = priority
        self.estimatedCost = estimatedCost
        self.currency = currency
    }
}

public struct PlanTaskInput: Codable, Sendable {
    public var title: String
    public var owner: String
    public var dueDate: String
    /// Ids of tasks of the same plan that must be done first.
    public var dependsOn: [String]?
    public var budgetLineId: String?

    public init(title: String, owner: String, dueDate: String, dependsOn: [String]? = nil, budgetLineId: String? = nil) {
        self.title = title
        self.owner = owner
        self.dueDate = dueDate
        self.dependsOn = dependsOn
        self.budgetLineId = budgetLineId
    }
}
