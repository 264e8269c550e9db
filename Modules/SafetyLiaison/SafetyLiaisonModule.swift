import Kernel

/// Accidents, prevention, authorities and unions, campaigns and safety inspections.
/// This release declares the domain; its workflow arrives with its own issue.
public struct SafetyLiaisonModule: DomainModule {
    public static let id: DomainID = "safety-liaison"
    public static let title = "Safety liaison: accidents, prevention, authorities and campaigns"
    public static let version = "0.1.0"
    public static var permissions: [PermissionDescriptor] {
        [
            .init("safety-liaison.accident.read", "See accident files", readOnly: true),
            .init("safety-liaison.accident.manage", "Handle accident files and corrective actions"),
        ]
    }
    public static var roles: [RoleDescriptor] {
        [.init(.safetyManager, "Safety manager", "Handles accidents, prevention, authorities and campaigns")]
    }
    public static var roleGrants: [Role: [Permission]] {
        [.safetyManager: ["safety-liaison.accident.read", "safety-liaison.accident.manage", PlatformPermissions.userRead]]
    }

    public init(context: DomainContext) {}
}
