import Kernel

/// On-site rider inspections by field supervisors: checklists, scoring, sampling plans.
/// This release declares the domain; its workflow arrives with its own issue.
public struct RiderComplianceModule: DomainModule {
    public static let id: DomainID = "rider-compliance"
    public static let title = "Rider compliance: on-site inspections, checklists and sampling plans"
    public static let version = "0.1.0"
    public static var permissions: [PermissionDescriptor] {
        [
            .init("rider-compliance.inspection.read", "See inspections of one's regions", readOnly: true),
            .init("rider-compliance.inspection.record", "Record an on-site inspection"),
        ]
    }
    public static var roles: [RoleDescriptor] {
        [.init(.fieldSupervisor, "Field supervisor", "Inspects riders on site, in the street")]
    }
    public static var roleGrants: [Role: [Permission]] {
        [.fieldSupervisor: ["rider-compliance.inspection.read", "rider-compliance.inspection.record"], "safety-manager": ["rider-compliance.inspection.read"]]
    }

    public init(context: DomainContext) {}
}
