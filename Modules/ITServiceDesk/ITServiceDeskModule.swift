import Kernel

/// IT requests, incidents, assets, budgets, forecasts and leases of the offices.
/// This release declares the domain; its workflow arrives with its own issue.
public struct ITServiceDeskModule: DomainModule {
    public static let id: DomainID = "it-service-desk"
    public static let title = "IT service desk: tickets, assets, budgets and leases of the offices"
    public static let version = "0.1.0"
    public static var permissions: [PermissionDescriptor] {
        [.init("it-service-desk.ticket.read", "See IT tickets", readOnly: true),
         .init("it-service-desk.ticket.work", "Work IT tickets"),
         .init("it-service-desk.budget.manage", "Keep budgets and expenses")]
    }
    public static var roleGrants: [Role: [Permission]] {
        [.itAgent: ["it-service-desk.ticket.read", "it-service-desk.ticket.work"],
         .itManager: ["it-service-desk.ticket.read", "it-service-desk.ticket.work", "it-service-desk.budget.manage"]]
    }

    public init(context: DomainContext) {}
}
