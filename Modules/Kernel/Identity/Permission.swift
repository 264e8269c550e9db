import Foundation

/// A permission name, namespaced by its domain: `incident-ops.case.read`.
public struct Permission: Hashable, Sendable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A permission as a domain declares it. Read-only permissions are what the auditor role receives.
public struct PermissionDescriptor: Sendable, Hashable {
    public let permission: Permission
    public let summary: String
    public let readOnly: Bool

    public init(_ permission: Permission, _ summary: String, readOnly: Bool = false) {
        self.permission = permission
        self.summary = summary
        self.readOnly = readOnly
    }
}

/// The platform's own permissions (users, tokens, audit), beside those of the domains.
public enum PlatformPermissions {
    public static let userManage: Permission = "vigil.user.manage"
    public static let userRead: Permission = "vigil.user.read"
    public static let tokenManage: Permission = "vigil.token.manage"
    public static let auditRead: Permission = "vigil.audit.read"
    /// Sees and changes records of every region, whatever the user's own regions.
    public static let allRegions: Permission = "vigil.region.all"

    public static let all: [PermissionDescriptor] = [
        .init(userManage, "Create, change and deactivate users"),
        .init(userRead, "List users and their roles", readOnly: true),
        .init(tokenManage, "Create and revoke API tokens of any user"),
        .init(auditRead, "Read the audit log", readOnly: true),
        .init(allRegions, "Act on records of every region"),
    ]

    /// What a domain may grant of the platform's permissions besides its own: its supervising
    /// roles read the user list (to assign work to people, to hand a shift over).
    public static let grantableByDomains: Set<Permission> = [userRead]

    public static let roles: [RoleDescriptor] = [
        .init(.admin, "Administrator", "Every permission of the build, in every region"),
        .init(.auditor, "Auditor", "Reads everything the build records, in every region, and changes nothing"),
    ]

    static let roleGrants: [Role: [Permission]] = [
        .auditor: [auditRead, userRead, allRegions]
    ]
}
