import AgentPerformanceInterface
import Foundation
import IncidentOps
import Kernel
import Testing
import TrainingOps
import VigilTesting

@Suite struct ReportTests {
    @Test func figuresMatchAHandComputedFixture() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        func open(_ severity: String, _ line: String, _ category: String) async throws -> IncidentCase {
            var input = CaseIntakeTests.input(severity: severity)
            input.businessLine = line
            input.category = category
            return try await cases.open(input, by: test.system())
        }
        // 2026-01-15T12:00Z is 09:00 in São Paulo: the day shift.
        let c1 = try await open("S1", "drivers", "traffic-accident")
        let c2 = try await open("S2", "clients", "robbery")
        let c3 = try await open("S3", "business-units", "fraud")
        let c4 = try await open("S4", "drivers", "lost-item")
        func at(_ minutes: Double, _ action: () async throws -> Void) async throws {
            test.clock.set(c1.createdAt.addingTimeInterval(minutes * 60))
            try await action()
        }
        try await at(2) { _ = try await cases.acknowledge(c1.id, by: test.system()) }
        try await at(5) { _ = try await cases.acknowledge(c4.id, by: test.system()) }
        try await at(10) { _ = try await cases.acknowledge(c2.id, by: test.system()) }
        try await at(30) {
            _ = try await cases.transition(c1.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        }
        try await at(90) {
            _ = try await cases.transition(c2.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        }
        try await at(100) { _ = try await cases.transition(c2.id, TransitionInput(to: "in-progress"), expectedVersion: 2, by: test.system()) }
        try await at(120) {
            _ = try await cases.transition(c2.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 3, by: test.system())
        }
        try await at(121) { try await SLAScannerProbe.scan(context) }

        let report = try await ReportService(context: context).report(
            region: RegionCode("BR-SP"), from: c1.createdAt.addingTimeInterval(-3600), to: test.clock.now(),
            by: test.runtime.systemPrincipal("t"))
        #expect(report.opened == 4)
        #expect(report.byBusinessLine == ["drivers": 2, "clients": 1, "business-units": 1])
        #expect(report.bySeverity == ["S1": 1, "S2": 1, "S3": 1, "S4": 1])
        #expect(report.byShift == ["day": 4])
        #expect(report.acknowledge == DeskReport.Durations(count: 3, medianSeconds: 300, p90Seconds: 600))
        #expect(report.resolve == DeskReport.Durations(count: 2, medianSeconds: 1800, p90Seconds: 7200))
        #expect(report.slaAttainment["acknowledge"] == DeskReport.Attainment(clocks: 4, met: 3, breached: 1))
        #expect(report.slaAttainment["first-action"] == DeskReport.Attainment(clocks: 2, met: 0, breached: 2))
        #expect(report.slaAttainment["resolve"] == DeskReport.Attainment(clocks: 2, met: 2, breached: 0))
        #expect(report.reopenRate == DeskReport.Share(total: 2, hits: 1))
        #expect(report.escalationRate == DeskReport.Share(total: 4, hits: 2))
        #expect(report.backlogByAge["1-4h"] == 2)
        #expect(report.sopOnTime.total == 0)
        let csv = ReportRenderer.csv(report)
        #expect(csv.contains("mttr_median_seconds,all,1800") && csv.contains("reopen_rate,all,0.5000"))
        let html = ReportRenderer.html(report)
        #expect(html.contains("<svg") && html.contains("SLA attainment"))
        _ = (c3, c4)
        await test.close()
    }

    @Test func agentPerformanceIsOfferedThroughTheKernelOnlyWhenTheDeskIsBuiltIn() async throws {
        let withDesk = try await TestRuntime.make(domains: [IncidentOpsModule.self, TrainingOpsModule.self])
        let provider = try #require(withDesk.runtime.capabilities.lookup((any AgentPerformanceProvider).self))
        let analyst = try await withDesk.user("an@x.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        let context = withDesk.runtime.context(for: IncidentOpsModule.id)
        _ = try await DeskService(context: context).createQueue(QueueInput(region: "BR-SP", name: "All", strategy: "least-loaded"), by: withDesk.system())
        _ = try await DeskService(context: context).setAnalyst(
            AnalystInput(email: "an@x.com", region: "BR-SP", skills: [], languages: ["pt-BR"], capacity: 5), by: withDesk.system())
        let cases = CaseService(context: context)
        let assigned = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: withDesk.system())
        withDesk.clock.advance(by: 600)
        _ = try await cases.transition(
            assigned.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: assigned.version, by: withDesk.system())
        let figures = try await provider.performance(of: analyst.user.id, from: withDesk.clock.now().addingTimeInterval(-86_400), to: withDesk.clock.now())
        #expect(figures.casesAssigned == 1 && figures.casesResolved == 1 && figures.medianResolveSeconds == 600 && figures.slaAttainment == 1)
        await withDesk.close()

        let withoutDesk = try await TestRuntime.make(domains: [TrainingOpsModule.self])
        #expect(withoutDesk.runtime.capabilities.lookup((any AgentPerformanceProvider).self) == nil)
        await withoutDesk.close()
    }
}
