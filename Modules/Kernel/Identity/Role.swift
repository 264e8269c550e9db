import Foundation

/// A role names a job; domains decide which of their permissions each role gets.
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

    public static let analyst: Role = "analyst"
    public static let specialist: Role = "specialist"
    public static let shiftCoordinator: Role = "shift-coordinator"
    public static let trainingCoordinator: Role = "training-coordinator"
    public static let fieldSupervisor: Role = "field-supervisor"
    public static let itAgent: Role = "it-agent"
    public static let itManager: Role = "it-manager"
    public static let safetyManager: Role = "safety-manager"
    /// Every permission of the build, every region.
    public static let admin: Role = "admin"
    /// Every read-only permission of the build, every region, no changes.
    public static let auditor: Role = "auditor"

    public static let builtIn: [Role] = [
        .analyst, .specialist, .shiftCoordinator, .trainingCoordinator, .fieldSupervisor,
        .itAgent, .itManager, .safetyManager, .admin, .auditor,
    ]
}

/// Roles resolved to permissions for one build: what the declared grants add up to.
public struct RoleCatalog: Sendable {
    public let permissions: [PermissionDescriptor]
    private let grants: [Role: Set<Permission>]

    public init(permissions: [PermissionDescriptor], grants: [[Role: [Permission]]]) {
        self.permissions = permissions
        var merged: [Role: Set<Permission>] = [:]
        for table in grants {
            for (role, granted) in table { merged[role, default: []].formUnion(granted) }
        }
        merged[.admin] = Set(permissions.map(\.permission))
        merged[.auditor, default: []].formUnion(permissions.filter(\.readOnly).map(\.permission))
        self.grants = merged
    }

    public func permissions(of roles: some Sequence<Role>) -> Set<Permission> {
        roles.reduce(into: Set<Permission>()) { $0.formUnion(grants[$1] ?? []) }
    }

    public func isKnown(_ role: Role) -> Bool { Role.builtIn.contains(role) }
}
