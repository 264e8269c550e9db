import Foundation
import Kernel
import SQLKit
import WorkAssignment

/// A team tickets are routed to by category (an empty category list takes whatever no other
/// group of the region takes), assigned within by one of the shared strategies.
public struct AssignmentGroup: Codable, Sendable, Hashable {
    public let id: String
    public let region: String
    public let name: String
    public let categories: [String]
    public let strategy: AssignmentStrategy
    public let requiredSkill: String?
    public let members: [String]
    public let version: Int
}

extension AssignmentGroup: StoredRow {
    /// The group's own columns alone (no members): what its column list is recorded with.
    /// `GroupService` reads groups by `init(_:members:)`.
    public init(_ row: RowReader) throws { try self.init(row, members: []) }

    init(_ row: RowReader, members: [String]) throws {
        id = try row["id"]
        region = try row["region"]
        name = try row["name"]
        categories = try row["categories"]
        strategy = try row["strategy"]
        requiredSkill = try row["required_skill"]
        version = try row["version"]
        self.members = members
    }
}

/// An IT agent: skills, how many open tickets they can hold, and whether they are at work now
/// (availability-aware groups skip those who are not).
public struct ITAgent: Codable, Sendable, Hashable {
    public let userId: String
    public let name: String
    public let actor: String
    public let region: String
    public let skills: [String]
    public let capacity: Int
    public let activeTickets: Int
    public let available: Bool
    public let lastAssignedAt: Date?

    /// The agents' table as the shared assignment rules see it.
    static let pool = WorkerPool(table: "it_agents", key: "user_id", columns: columns, load: "active_tickets")
}

extension ITAgent: StoredRow {
    public init(_ row: RowReader) throws {
        userId = try row["user_id"]
        name = try row["name"]
        actor = try row["actor"]
        region = try row["region"]
        skills = try row["skills"]
        capacity = try row["capacity"]
        activeTickets = try row["active_tickets"]
        available = try row["available"]
        lastAssignedAt = try row.instantOrNever("last_assigned_at")
    }
}

public struct GroupInput: Codable, Sendable {
    public var region: String
    public var name: String
    public var categories: [String]
    public var strategy: String
    public var requiredSkill: String?

    public init(region: String, name: String, categories: [String], strategy: String, requiredSkill: String? = nil) {
        self.region = region
        self.name = name
        self.categories = categories
        self.strategy = strategy
        self.requiredSkill = requiredSkill
    }
}

public struct AgentInput: Codable, Sendable {
    public var email: String
    public var region: String
    public var skills: [String]
    public var capacity: Int
    public var available: Bool?
    /// Group names (of the agent's region) the agent works in.
    public var groups: [String]

    public init(email: String, region: String, skills: [String], capacity: Int, available: Bool? = nil, groups: [String]) {
        self.email = email
        self.region = region
        self.skills = skills
        self.capacity = capacity
        self.available = available
        self.groups = groups
    }
}
