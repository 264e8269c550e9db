import Calendars
import Foundation
import Kernel
import SQLKit

public enum RequirementStatus: String, Codable, Sendable, StoredEnum { case new, accepted, deferred, rejected }
public enum TaskStatus: String, Codable, Sendable, StoredEnum { case todo, doing, blocked, done }

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

    /// The requirement's own columns and its site's code.
    static let select = """
        SELECT \(columns(qualifiedBy: "r")), s.code AS site
        FROM it_requirements r JOIN it_sites s ON s.id = r.site_id
        """

    var regionCode: RegionCode { RegionCode(stored: region) }
}

extension Requirement: StoredRow {
    /// The requirement's own columns alone (no site, no plan): what its column list is recorded
    /// with. Rows of `select` are read by `init(_:tasks:)`.
    public init(_ row: RowReader) throws { try self.init(row, site: "", tasks: []) }

    /// From a row of `select`, with the plan's tasks.
    init(_ row: RowReader, tasks: [PlanTask]) throws { try self.init(row, site: try row["site"], tasks: tasks) }

    /// The site comes in apart: its code is joined in from `it_sites`, so it must stay out of
    /// the requirement's own columns that `select` qualifies.
    private init(_ row: RowReader, site: String, tasks: [PlanTask]) throws {
        id = try row["id"]
        reference = try row["reference"]
        requester = try row["requester"]
        title = try row["title"]
        businessNeed = try row["business_need"]
        self.site = site
        region = try row["region"]
        desiredDate = try row["desired_date"]
        priority = try row["priority"]
        estimatedCost = try row["estimated_cost"]
        currency = try row["currency"]
        status = try row["status"]
        decisionReason = try row["decision_reason"]
        decidedBy = try row["decided_by"]
        version = try row["version"]
        self.tasks = tasks
        progress = tasks.isEmpty ? 0 : tasks.map(\.progress).reduce(0, +) / tasks.count
    }
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
}

extension PlanTask: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        title = try row["title"]
        owner = try row["owner"]
        dueDate = try row["due_date"]
        status = try row["status"]
        progress = try row["progress"]
        dependsOn = try row["depends_on"]
        budgetLineId = try row["budget_line_id"]
        version = try row["version"]
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
