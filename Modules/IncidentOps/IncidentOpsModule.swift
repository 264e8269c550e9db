import AgentPerformanceInterface
import ArgumentParser
import Foundation
import Kernel

/// The 24/7 safety-incident desk: case intake, queues, SLA clocks, assignment, escalation, shift
/// handover, SOP checklists, QA and reports.
public struct IncidentOpsModule: DomainModule {
    public static let id: DomainID = "incident-ops"
    public static let title = "Incident desk: safety cases from drivers, clients and business units"
    public static let version = "0.1.0"
    public static var permissions: [PermissionDescriptor] { IncidentOpsPermissions.all }
    public static var roles: [RoleDescriptor] { IncidentOpsRoles.all }
    public static var roleGrants: [Role: [Permission]] { IncidentOpsPermissions.grants }
    public static var events: [any DomainEventPayload.Type] {
        [
            CaseOpened.self, CaseUpdated.self, CaseStatusChanged.self, CaseNoteAdded.self, CaseAssigned.self, CaseWaitingInQueue.self, SLAWarning.self,
            SLABreached.self,
            EscalationNotice.self,
        ]
    }
    public static var migrations: [Migration] { IncidentOpsMigrations.all }
    public static var commands: [any ParsableCommand.Type] {
        [
            CaseCommand.self, SLACommand.self, QueueCommand.self, AnalystCommand.self, RosterCommand.self, EscalationCommand.self, HandoverCommand.self,
            CoverageCommand.self, WorkloadCommand.self, SOPCommand.self, ReportCommand.self,
        ]
    }
    public static var settings: [ConfigSetting] {
        [
            ConfigSetting("intake.max-description-length", "longest case description accepted", default: String(CaseRules.defaultMaxDescriptionLength)),
            ConfigSetting("handover.grace-minutes", "minutes after a shift ends before an unacknowledged handover is flagged", default: "30"),
            ConfigSetting("escalation.check-seconds", "how often unacknowledged escalations climb their chain", default: "30"),
            ConfigSetting("sla.scan-seconds", "how often the SLA scanner looks for warnings and breaches", default: "5"),
            ConfigSetting(
                "lifecycle.reopen-window-days", "days after closing during which a case can be reopened", default: String(CaseLifecycle.defaultReopenWindowDays)
            ),
        ]
    }

    let context: DomainContext
    let cases: CaseService

    public init(context: DomainContext) {
        self.context = context
        self.cases = CaseService(context: context)
    }

    public func endpoints() -> [Endpoint] {
        CaseEndpoints(cases: cases).all + CaseWorkflowEndpoints(cases: cases).all
            + SLAEndpoints(cases: cases, policies: SLAPolicyService(context: context)).all
            + DeskEndpoints(desk: DeskService(context: context), cases: cases).all
            + EscalationEndpoints(escalations: EscalationService(context: context)).all
            + EscalationPolicyEndpoints(policies: EscalationPolicyService(context: context)).all
            + HandoverEndpoints(handovers: HandoverService(context: context)).all
            + SOPEndpoints(sops: SOPService(context: context), cases: cases).all
            + ReportEndpoints(reports: ReportService(context: context)).all
            + TaxonomyEndpoints(taxonomy: Taxonomy(context: context)).all
            + QAEndpoints(qa: QAService(context: context)).all
            + CoverageEndpoints(coverage: CoverageService(context: context)).all
    }

    public func gauges() -> [DomainGauge] {
        [
            DomainGauge(name: "cases_opened_24h", help: "Cases opened in the last 24 hours, by region") {
                try await cases.openedSince(context.clock.now().addingTimeInterval(-86_400)).map {
                    GaugeSample(labels: ["region": $0.key], value: Double($0.value))
                }
            }
        ]
    }

    public func jobs() -> [BackgroundJob] {
        let seconds = max(1, context.config.int(forKey: "sla.scan-seconds", default: 5))
        let escalationSeconds = max(1, context.config.int(forKey: "escalation.check-seconds", default: 30))
        return [
            BackgroundJob(name: "sla-scanner", every: .seconds(seconds)) { try await SLAScanner(context: context).scan() },
            BackgroundJob(name: "escalation-chain", every: .seconds(escalationSeconds)) { try await EscalationService(context: context).advanceDue() },
            BackgroundJob(name: "handover-at-shift-end", every: .seconds(60)) { try await HandoverService(context: context).generateForEndedShifts() },
        ]
    }

    public func reports() -> [ReportDescriptor] {
        [
            ReportDescriptor(
                id: "incident-ops.desk",
                title: "Desk report: volumes, MTTA/MTTR, SLA attainment, backlog, reopen and escalation rates, SOP compliance, workload",
                formats: ["json", "csv", "html"], permission: IncidentOpsPermissions.reportRead)
        ]
    }

    public func auditedEntities() -> [AuditedEntity] { cases.auditedEntities() }

    public func capabilities() -> [ProvidedCapability] {
        [ProvidedCapability((any AgentPerformanceProvider).self, DeskAgentPerformance(context: context))]
    }
}
