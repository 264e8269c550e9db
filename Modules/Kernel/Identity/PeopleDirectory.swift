import Foundation

/// A user as domains see them: enough to name, reach and scope them, without the platform's
/// identity tables.
public struct Person: Sendable, Hashable, Codable {
    public let id: UUID
    public let email: String
    public let name: String
    public let active: Bool
    public let roles: Set<Role>
    public let regions: RegionScope

    public init(id: UUID, email: String, name: String, active: Bool, roles: Set<Role>, regions: RegionScope) {
        self.id = id
        self.email = email
        self.name = name
        self.active = active
        self.roles = roles
        self.regions = regions
    }

    public var actor: String { "user:\(email)" }
}

/// Looks up users for domains (analyst rosters, assignments).
public protocol PeopleDirectory: Sendable {
    func person(email: String) async throws -> Person?
    func person(id: UUID) async throws -> Person?
}
