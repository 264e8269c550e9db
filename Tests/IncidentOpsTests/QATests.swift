import AgentPerformanceInterface
import Foundation
import IncidentOps
import Kernel
import Testing
import VigilTesting

@Suite struct QATests {
    @Test func weeklySamplesAreReproducibleAndScoresFeedPerformance() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let analyst = try await test.user("an@x.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        let coordinator = try await test.user("co@x.com", roles: [.shiftCoordinator], regions: .only([RegionCode("BR-SP")!]))
        _ = try await DeskService(context: context).createQueue(QueueInput(region: "BR-SP", name: "All", strategy: "least-loaded"), by: test.system())
        _ = try await DeskService(context: context).setAnalyst(
            AnalystInput(email: "an@x.com", region: "BR-SP", skills: [], languages: ["pt-BR"], capacity: 20), by: test.system())
        for _ in 0..<5 {
            let incident = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
            _ = try await cases.transition(
                incident.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: incident.version, by: test.system())
            _ = try await cases.transition(incident.id, TransitionInput(to: "closed"), expectedVersion: incident.version + 1, by: test.system())
        }
        let qa = QAService(context: context)
        let first = try await qa.sample(region: RegionCode("BR-SP")!, week: test.clock.now(), perAnalyst: 3, by: test.invocation(coordinator.principal))
        #expect(first.count == 3 && Set(first.map(\.analystId)) == [analyst.user.id.lowercased])
        let again = try await qa.sample(region: RegionCode("BR-SP")!, week: test.clock.now(), perAnalyst: 3, by: test.invocation(coordinator.principal))
        #expect(again.map(\.caseId) == first.map(\.caseId))  // nothing more to sample, same three
        await #expect(throws: VigilError.self) {
            try await qa.score(first[0].id, scores: ["sop-followed": 5], comment: nil, by: test.invocation(coordinator.principal))
        }
        let scored = try await qa.score(
            first[0].id, scores: ["sop-followed": 5, "communication": 4, "documentation": 3, "resolution-quality": 4], comment: "Good",
            by: test.invocation(coordinator.principal))
        #expect(scored.score == 80 && scored.state == "done")
        let performance = try await test.runtime.capabilities.lookup((any AgentPerformanceProvider).self)!
            .performance(of: analyst.user.id, from: test.clock.now().addingTimeInterval(-86_400), to: test.clock.now().addingTimeInterval(60))
        #expect(performance.qaScore == 80 && performance.casesResolved == 5)
        await test.close()
    }
}
