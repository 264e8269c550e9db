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

    static let columns = "id, region, name, categories, strategy, required_skill, version"

    init(row: any SQLRow, members: [String]) throws {
        id = try row.decode(column: "id", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        categories = CommaList.items(try row.decode(column: "categories", as: String.self))
        strategy = try row.decode("strategy", as: AssignmentStrategy.self)
        requiredSkill = try row.optional("required_skill", as: String.self)
        version = try row.decode(column: "version", as: Int.self)
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

    static let columns = "user_id, name, actor, region, skills, capacity, active_tickets, available, last_assigned_at"

    init(row: any SQLRow) throws {
        userId = try row.decode(column: "user_id", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        actor = try row.decode(column: "actor", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        skills = CommaList.items(try row.decode(column: "skills", as: String.self))
        capacity = try row.decode(column: "capacity", as: Int.self)
        activeTickets = try row.decode(column: "active_tickets", as: Int.self)
        available = try row.decode(column: "available", as: Bool.self)
        let last = try row.decode(column: "last_assigned_at", as: Int64.self)
        lastAssignedAt = last == 0 ? nil : Date(epochMicros: last)
    }

    /// The agents' table as the shared assignment rules see it.
    static let pool = WorkerPool(table: "it_agents", key: "user_id", columns: columns, load: "active_tickets")
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
