import Kernel

/// The incident desk's job titles.
extension Role {
    public static let analyst: Role = "analyst"
    public static let specialist: Role = "specialist"
    public static let shiftCoordinator: Role = "shift-coordinator"
}

enum IncidentOpsRoles {
    static let all: [RoleDescriptor] = [
        .init(.analyst, "Analyst", "Takes cases from the desk's queues and works them"),
        .init(.specialist, "Specialist", "Works sensitive cases and answers escalations"),
        .init(.shiftCoordinator, "Shift coordinator", "Runs a shift of the desk: queues, rosters, SLA, handovers, QA and reports"),
    ]
}
