import Foundation
import JSONCoding
import Kernel
import SQLKit

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

    init(row: any SQLRow) throws {
        id = try row.uuid("id")
        email = try row.decode(column: "email", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        roles = User.parseRoles(try row.decode(column: "roles", as: String.self))
        regions = User.parseRegions(try row.decode(column: "regions", as: String.self))
        active = try row.decode(column: "active", as: Bool.self)
        createdAt = Date(epochMicros: try row.decode(column: "created_at", as: Int64.self))
        updatedAt = Date(epochMicros: try row.decode(column: "updated_at", as: Int64.self))
        version = try row.decode(column: "version", as: Int.self)
        passwordHash = try row.decode(column: "password_hash", as: String?.self)
    }

    static let columns = "id, email, name, password_hash, roles, regions, active, created_at, updated_at, version"

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
