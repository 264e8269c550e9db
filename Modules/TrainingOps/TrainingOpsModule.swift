import Kernel

/// Onboarding, refresher and simulation training, competencies and re-training plans.
/// This release declares the domain; its workflow arrives with its own issue.
public struct TrainingOpsModule: DomainModule {
    public static let id: DomainID = "training-ops"
    public static let title = "Training: onboarding, refreshers, competencies and their impact"
    public static let version = "0.1.0"
    public static var dependencies: [DomainDependency] { [.optional("incident-ops")] }
    public static var permissions: [PermissionDescriptor] {
        [
            .init("training-ops.course.read", "See courses and enrolments", readOnly: true),
            .init("training-ops.course.manage", "Plan courses and record outcomes"),
        ]
    }
    public static var roles: [RoleDescriptor] {
        [.init(.trainingCoordinator, "Training coordinator", "Plans courses and records their outcomes")]
    }
    /// Another domain's role is named by its text: domains do not import each other (a typo is
    /// caught by the full build's test of undeclared roles).
    public static var roleGrants: [Role: [Permission]] {
        [.trainingCoordinator: ["training-ops.course.read", "training-ops.course.manage"], "shift-coordinator": ["training-ops.course.read"]]
    }

    public init(context: DomainContext) {}
}
