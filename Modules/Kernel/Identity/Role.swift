import Foundation

/// A role names a job. The platform declares two (admin, auditor); each domain declares the roles
/// it introduces (`DomainModule.roles`) and grants its permissions to any role of the build.
public struct Role: Hashable, Sendable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every permission of the build, every region.
    public static let admin: Role = "admin"
    /// Every read-only permission of the build, every region, no changes.
    public static let auditor: Role = "auditor"
    /// Not a role: a grant to it goes to every role of the build that may change things (all but
    /// the auditor), e.g. "anyone in the company may raise an IT ticket".
    public static let everyRole: Role = "*"

    /// A role's name: lower-case words joined by dashes, 2 to 40 characters.
    public var isWellFormed: Bool {
        (2...40).contains(rawValue.count) && rawValue.first?.isLetter == true
            && rawValue.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
    }
}

/// A role as the domain that introduces it declares it, for `vigil roles` and the user forms.
public struct RoleDescriptor: Sendable, Hashable {
    public let role: Role
    public let title: String
    public let summary: String

    public init(_ role: Role, _ title: String, _ summary: String) {
        self.role = role
        self.title = title
        self.summary = summary
    }
}

/// Roles resolved to permissions for one build: what the declared grants add up to. A grant to a
/// role that no domain of the build declares is dropped (in a region build without training, the
/// incident desk's grant to the training coordinator has no one to go to).
public struct RoleCatalog: Sendable {
    public let permissions: [PermissionDescriptor]
    /// Every role of the build with the domain that declared it (`vigil`, the platform, for admin and auditor).
    public let roles: [(domain: DomainID, descriptor: RoleDescriptor)]
    private let grants: [Role: Set<Permission>]

    public init(permissions: [PermissionDescriptor], roles: [(domain: DomainID, descriptor: RoleDescriptor)], grants: [[Role: [Permission]]]) {
        self.permissions = permissions
        self.roles = roles
        let known = Set(roles.map(\.descriptor.role))
        var merged: [Role: Set<Permission>] = [:]
        for table in grants {
            for (role, granted) in table {
                let receivers: [Role] = role == .everyRole ? known.filter { $0 != .auditor && $0 != .admin } : known.contains(role) ? [role] : []
                for receiver in receivers { merged[receiver, default: []].formUnion(granted) }
            }
        }
        merged[.admin] = Set(permissions.map(\.permission))
        merged[.auditor, default: []].formUnion(permissions.filter(\.readOnly).map(\.permission))
        self.grants = merged
    }

    public func permissions(of roles: some Sequence<Role>) -> Set<Permission> {
        roles.reduce(into: Set<Permission>()) { $0.formUnion(grants[$1] ?? []) }
    }

    public func isKnown(_ role: Role) -> Bool { roles.contains { $0.descriptor.role == role } }

    /// "analyst, auditor, …": the roles a user may be given in this build, for messages.
    public var roleNames: String { roles.map(\.descriptor.role.rawValue).sorted().joined(separator: ", ") }
}
