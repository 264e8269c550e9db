import ArgumentParser
import Calendars
import Foundation
import Kernel

/// IT for the offices: sites and their calendars, tickets (incidents, requests, problems,
/// changes) with SLA clocks on business hours, assignment groups, and assets.
public struct ITServiceDeskModule: DomainModule {
    public static let id: DomainID = "it-service-desk"
    public static let title = "IT service desk: tickets, assets, budgets and leases of the offices"
    public static let version = "0.2.0"
    public static var permissions: [PermissionDescriptor] { ITServiceDeskPermissions.all }
    public static var roles: [RoleDescriptor] { ITServiceDeskRoles.all }
    public static var roleGrants: [Role: [Permission]] { ITServiceDeskPermissions.grants }
    public static var events: [any DomainEventPayload.Type] {
        [TicketChanged.self, TicketSLABreached.self, BudgetThresholdReached.self, ContractNoticeDue.self]
    }
    public static var migrations: [Migration] { ITServiceDeskMigrations.all }
    public static var commands: [any ParsableCommand.Type] {
        [
            SiteCommand.self, TicketCommand.self, GroupCommand.self, AssetCommand.self, BudgetCommand.self, ContractCommand.self, ForecastCommand.self,
            RequirementCommand.self, ITReportCommand.self,
        ]
    }
    public static var settings: [ConfigSetting] {
        [
            ConfigSetting("sla.scan-seconds", "how often the ticket SLA scanner looks for breaches", default: "30"),
            ConfigSetting("assets.audit-interval-months", "months from an asset's audit to the next one due", default: "12"),
            ConfigSetting("finance.reporting-currency", "the currency budgets, actuals and forecasts are reported in", default: "BRL"),
        ]
    }

    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func endpoints() -> [Endpoint] {
        SiteEndpoints(sites: SiteService(context: context)).all
            + TicketEndpoints(tickets: TicketService(context: context)).all
            + GroupEndpoints(groups: GroupService(context: context), targets: SLATargetService(context: context)).all
            + AssetEndpoints(assets: AssetService(context: context), book: AssetBook(context: context), importer: AssetImporter(context: context)).all
            + FinanceEndpoints(
                budgets: BudgetService(context: context), contracts: ContractService(context: context), forecast: PurchaseForecast(context: context),
                reports: ITReports(context: context)
            ).all
            + RequirementEndpoints(requirements: RequirementService(context: context)).all
    }

    /// People name tickets by reference and assets by tag; their records are scoped by region.
    public func auditedEntities() -> [AuditedEntity] {
        let sql = context.database.sql
        return [
            AuditedEntity(type: "it-service-desk.ticket", resolve: { try await TicketStore.find($0, on: sql)?.id }, access: { _, _ in .full }),
            AuditedEntity(type: "it-service-desk.asset", resolve: { try await AssetStore.load(tag: $0.uppercased(), on: sql)?.id }, access: { _, _ in .full }),
        ]
    }

    public func jobs() -> [BackgroundJob] {
        let seconds = max(1, context.config.int(forKey: "sla.scan-seconds", default: 30))
        let contractInvocation = Invocation(principal: .system("it-contracts", permissions: []), channel: .job, requestID: "it-contract-costs")
        return [
            BackgroundJob(name: "it-sla-scanner", every: .seconds(seconds)) { try await TicketSLAScanner(context: context).scan() },
            BackgroundJob(name: "it-contract-notice-alerts", every: .seconds(3_600)) { try await ContractService(context: context).raiseNoticeAlerts() },
            BackgroundJob(name: "it-contract-costs", every: .seconds(3_600)) {
                let today = LocalDate(of: context.clock.now(), in: "UTC")
                try await ContractService(context: context).postCosts(through: today, by: contractInvocation)
            },
        ]
    }
}
