import Kernel

/// The IT desk's job titles.
extension Role {
    public static let itAgent: Role = "it-agent"
    public static let itManager: Role = "it-manager"
}

enum ITServiceDeskRoles {
    static let all: [RoleDescriptor] = [
        .init(.itAgent, "IT agent", "Works IT tickets and keeps assets"),
        .init(.itManager, "IT manager", "Runs the IT desk: groups, SLA targets, changes, budgets and leases"),
    ]
}
