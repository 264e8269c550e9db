import Kernel

public enum ITServiceDeskPermissions {
    /// Anyone in the company may ask IT for help.
    public static let ticketRaise: Permission = "it-service-desk.ticket.raise"
    public static let ticketRead: Permission = "it-service-desk.ticket.read"
    public static let ticketWork: Permission = "it-service-desk.ticket.work"
    /// Approve or reject changes before they are implemented (IT managers).
    public static let changeApprove: Permission = "it-service-desk.change.approve"
    /// Sites, calendars, cost centers, assignment groups, agents and SLA targets.
    public static let deskManage: Permission = "it-service-desk.desk.manage"
    public static let assetRead: Permission = "it-service-desk.asset.read"
    public static let assetManage: Permission = "it-service-desk.asset.manage"
    public static let budgetRead: Permission = "it-service-desk.budget.read"
    public static let budgetManage: Permission = "it-service-desk.budget.manage"
    public static let reportRead: Permission = "it-service-desk.report.read"

    static let all: [PermissionDescriptor] = [
        .init(ticketRaise, "Raise IT tickets and answer their surveys"),
        .init(ticketRead, "See IT tickets of one's regions", readOnly: true),
        .init(ticketWork, "Work IT tickets"),
        .init(changeApprove, "Approve or reject IT changes"),
        .init(deskManage, "Manage IT sites, calendars, cost centers, groups, agents and SLA targets"),
        .init(assetRead, "See IT assets", readOnly: true),
        .init(assetManage, "Manage IT assets: lifecycle, check-out, audits, imports"),
        .init(budgetRead, "See IT budgets, expenses and forecasts", readOnly: true),
        .init(budgetManage, "Keep IT budgets and expenses"),
        .init(reportRead, "Read IT reports", readOnly: true),
    ]

    static var grants: [Role: [Permission]] {
        let agent: [Permission] = [ticketRaise, ticketRead, ticketWork, assetRead, assetManage, reportRead]
        return [
            .everyRole: [ticketRaise],
            .itAgent: agent,
            .itManager: agent + [changeApprove, deskManage, budgetRead, budgetManage, PlatformPermissions.userRead],
        ]
    }
}
