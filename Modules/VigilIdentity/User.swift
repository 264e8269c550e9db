import Foundation
import JSONCoding
import Kernel

/// A person who signs in. Roles decide permissions; regions decide which records they see.
public struct User: Sendable, Codable, Hashable {
    public let id: UUID
    public let email: String
    public let name: String
    public let roles: [Role]
    public let regions: RegionScope
    public let active: Bool
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int
    /// Not part of the wire form.
    let passwordHash: String?

    enum CodingKeys: String, CodingKey {
        case id, email, name, roles, regions, active, createdAt, updatedAt, version
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        email = try container.decode(String.self, forKey: .email)
        name = try container.decode(String.self, forKey: .name)
        roles = try container.decode([Role].self, forKey: .roles)
        regions = try container.decode(RegionScope.self, forKey: .regions)
        active = try container.decode(Bool.self, forKey: .active)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        version = try container.decode(Int.self, forKey: .version)
        passwordHash = nil
    }

    static func parseRoles(_ text: String) -> [Role] {
        text.split(separator: ",").map { Role(String($0)) }
    }

    static func parseRegions(_ text: String) -> RegionScope {
        text == "*" ? .all : .only(Set(text.split(separator: ",").compactMap { RegionCode(String($0)) }))
    }

    static func storedRegions(_ scope: RegionScope) -> String {
        switch scope {
        case .all: "*"
        case .only(let regions): regions.sorted().map(\.rawValue).joined(separator: ",")
        }
    }

    public var entity: EntityRef { EntityRef("vigil.user", id.lowercased) }

    /// The audited view of a user: everything but the password hash.
    var auditSnapshot: [String: JSONValue] {
        [
            "email": .string(email), "name": .string(name),
            "roles": .array(roles.map { .string($0.rawValue) }),
            "regions": .string(User.storedRegions(regions)), "active": .bool(active),
        ]
    }
}

extension User: StoredRow {
    public init(_ row: RowReader) throws {
        id = try row["id"]
        email = try row["email"]
        name = try row["name"]
        passwordHash = try row["password_hash"]
        roles = User.parseRoles(try row["roles"])
        regions = User.parseRegions(try row["regions"])
        active = try row["active"]
        createdAt = try row["created_at"]
        updatedAt = try row["updated_at"]
        version = try row["version"]
    }
}
