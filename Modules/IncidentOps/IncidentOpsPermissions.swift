import Kernel

public enum IncidentOpsPermissions {
    public static let caseRead: Permission = "incident-ops.case.read"
    public static let caseCreate: Permission = "incident-ops.case.create"
    public static let caseUpdate: Permission = "incident-ops.case.update"
    public static let caseEscalate: Permission = "incident-ops.case.escalate"
    /// Acknowledge escalations addressed to one's role.
    public static let escalationRespond: Permission = "incident-ops.escalation.respond"
    public static let handoverRead: Permission = "incident-ops.handover.read"
    public static let handoverWrite: Permission = "incident-ops.handover.write"
    public static let reportRead: Permission = "incident-ops.report.read"
    public static let qaReview: Permission = "incident-ops.qa.review"
    /// Assign and reassign cases to others, rebalance queues.
    public static let caseAssign: Permission = "incident-ops.case.assign"
    /// Queues, analysts and the shift roster.
    public static let deskManage: Permission = "incident-ops.desk.manage"
    /// SLA policies of the regions, and the clock check.
    public static let slaManage: Permission = "incident-ops.sla.manage"
    /// Sensitive cases (harassment, assault victims' details…) are hidden from everyone else.
    public static let caseReadSensitive: Permission = "incident-ops.case.read-sensitive"

    static let all: [PermissionDescriptor] = [
        .init(caseRead, "See incident cases of one's regions", readOnly: true),
        .init(caseCreate, "Open incident cases"),
        .init(caseUpdate, "Correct a case's intake details"),
        .init(caseReadSensitive, "See and handle cases flagged sensitive"),
        .init(caseEscalate, "Escalate a case"),
        .init(slaManage, "Set SLA policies and check clocks"),
        .init(caseAssign, "Assign cases to analysts and rebalance queues"),
        .init(escalationRespond, "Acknowledge escalations"),
        .init(handoverRead, "Read shift handovers", readOnly: true),
        .init(reportRead, "Read desk reports", readOnly: true),
        .init(qaReview, "Sample and score closed cases for quality review"),
        .init(handoverWrite, "Write and acknowledge shift handovers"),
        .init(deskManage, "Manage queues, analysts and the shift roster"),
    ]

    static let grants: [Role: [Permission]] = [
        .analyst: [caseRead, caseCreate, caseUpdate, caseEscalate],
        .specialist: [caseRead, caseCreate, caseUpdate, caseReadSensitive, caseEscalate, escalationRespond, handoverRead],
        .shiftCoordinator: [
            caseRead, caseCreate, caseUpdate, caseReadSensitive, caseEscalate, slaManage, caseAssign, deskManage, escalationRespond, handoverRead,
            handoverWrite, reportRead, qaReview,
            PlatformPermissions.userRead,
        ],
        // Roles of other domains, by name (dropped in builds without them).
        "safety-manager": [caseRead, slaManage, escalationRespond, handoverRead, reportRead],
        "training-coordinator": [caseRead],
    ]
}
