import Foundation

/// Who is acting: a user signed in with a password or an API token, or the system itself (jobs,
/// the admin CLI on the server's host).
public struct Principal: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case user, token, system, anonymous }

    public let kind: Kind
    /// The user's id for users and tokens; nil for the system.
    public let userID: UUID?
    public let displayName: String
    /// What the audit log records as the actor: `user:ana@example.com`, `token:…`, `system:cli`.
    public let actor: String
    public let roles: Set<Role>
    public let permissions: Set<Permission>
    public let regions: RegionScope
    /// Which credential authenticated this principal: `token:<id>` or `session:<id>`.
    public let credential: String?

    public init(
        kind: Kind, userID: UUID?, displayName: String, actor: String, roles: Set<Role>, permissions: Set<Permission>, regions: RegionScope,
        credential: String? = nil
    ) {
        self.kind = kind
        self.userID = userID
        self.displayName = displayName
        self.actor = actor
        self.roles = roles
        self.permissions = permissions
        self.regions = permissions.contains(PlatformPermissions.allRegions) ? .all : regions
        self.credential = credential
    }

    public func with(credential: String) -> Principal {
        Principal(
            kind: kind, userID: userID, displayName: displayName, actor: actor, roles: roles, permissions: permissions, regions: regions, credential: credential
        )
    }

    /// The admin CLI on the server's host and background jobs: every permission, every region.
    public static func system(_ name: String, permissions: Set<Permission>) -> Principal {
        Principal(
            kind: .system, userID: nil, displayName: name, actor: "system:\(name)", roles: [.admin],
            permissions: permissions.union([PlatformPermissions.allRegions]), regions: .all)
    }

    /// Nobody signed in: reaches only endpoints that allow anonymous calls (sign-in).
    public static let anonymous = Principal(
        kind: .anonymous, userID: nil, displayName: "anonymous", actor: "anonymous", roles: [], permissions: [], regions: .only([]))

    public func has(_ permission: Permission) -> Bool { permissions.contains(permission) }

    public func require(_ permission: Permission) throws(VigilError) {
        guard has(permission) else {
            throw VigilError(.forbidden, "this action needs the permission '\(permission)'")
        }
    }

    public func canAccess(_ region: RegionCode) -> Bool { regions.contains(region) }
}

/// The regions a user may see and change.
public enum RegionScope: Sendable, Hashable, Codable {
    case all
    case only(Set<RegionCode>)

    public func contains(_ region: RegionCode) -> Bool {
        switch self {
        case .all: true
        case .only(let regions): regions.contains(region)
        }
    }

    /// The regions to filter a query by; nil means no filter.
    public var filter: [RegionCode]? {
        switch self {
        case .all: nil
        case .only(let regions): regions.sorted()
        }
    }
}
