import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilTesting

@Suite struct HandoverTests {
    @Test(arguments: TestEngine.available)
    func handoverReflectsTheDeskAtShiftEndAndIsAcknowledgedByTheIncomingCoordinator(engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let handovers = HandoverService(context: context)
        let outgoing = try await test.user("out@x.com", roles: [.shiftCoordinator], regions: .only([RegionCode("BR-SP")!]))
        let incoming = try await test.user("in@x.com", roles: [.shiftCoordinator], regions: .only([RegionCode("BR-SP")!]))
        let shiftStart = test.clock.now()

        let severe = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())  // escalates at intake
        test.clock.advance(by: 60)  // a minute apart: the unassigned list is oldest first
        let waiting = try await cases.open(CaseIntakeTests.input(severity: "S3"), by: test.system())
        _ = try await cases.transition(waiting.id, TransitionInput(to: "waiting", waitingOn: "authorities"), expectedVersion: 1, by: test.system())
        let done = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        _ = try await cases.transition(done.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        test.clock.advance(by: 60)
        let sensitive = try await cases.open(CaseIntakeTests.input(severity: "S3", sensitive: true), by: test.system())
        _ = try await cases.open(CaseIntakeTests.input(region: "MX-CMX", severity: "S1"), by: test.system())  // another region: not in this handover
        test.clock.advance(by: 3 * 3600)  // S1's acknowledge and first action breach; the S3 new case's acknowledge (60 min) too
        try await SLAScannerProbe.scan(context)

        let handover = try await handovers.generate(
            region: RegionCode("BR-SP")!, shiftEndsAt: nil, notes: "Rider in S1 case is at Hospital das Clínicas.", by: test.invocation(outgoing.principal))
        let snapshot = handover.snapshot
        #expect(snapshot.openByStatus == ["new": 2, "waiting": 1])
        #expect(snapshot.openByAge["1-4h"] == 3)
        #expect(snapshot.sensitiveOpen == 1)
        #expect(snapshot.unassignedCount == 3)
        #expect(snapshot.unassigned.map(\.reference) == [severe.reference, waiting.reference, sensitive.reference])
        #expect(Set(snapshot.breached.map(\.reference)).contains(severe.reference))
        #expect(!snapshot.breached.contains { $0.reference == waiting.reference })  // paused while waiting
        #expect(snapshot.escalationsOpen.map(\.reference).contains(severe.reference))
        #expect(snapshot.notable.map(\.reference) == [severe.reference])
        #expect(snapshot.periodStart == handover.shiftEndsAt.addingTimeInterval(-8 * 3600) && handover.shiftEndsAt > shiftStart)
        let markdown = HandoverRenderer.markdown(handover)
        #expect(markdown.contains("Hospital das Clínicas") && markdown.contains("## SLA breached") && markdown.contains(severe.reference))

        await #expect(throws: VigilError.self) {
            try await handovers.generate(region: RegionCode("BR-SP")!, shiftEndsAt: handover.shiftEndsAt, notes: nil, by: test.invocation(outgoing.principal))
        }
        let own = await #expect(throws: VigilError.self) { try await handovers.acknowledge(handover.id, by: test.invocation(outgoing.principal)) }
        #expect(own?.detail.contains("incoming") == true)
        test.clock.advance(by: 31 * 60)
        #expect(try await handovers.list(region: RegionCode("BR-SP")!, by: incoming.principal).first?.overdue == true)
        let acknowledged = try await handovers.acknowledge(handover.id, by: test.invocation(incoming.principal))
        #expect(acknowledged.acknowledgedBy == "user:in@x.com" && !acknowledged.overdue)
        await test.close()
    }

    @Test func aShiftThatEndsWithoutAHandoverGetsOneGenerated() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        _ = try await test.user("out@x.com", roles: [.shiftCoordinator], regions: .only([RegionCode("BR-SP")!]))
        let now = test.clock.now()
        _ = try await DeskService(context: context).addShift(
            ShiftInput(
                email: "out@x.com", region: "BR-SP", role: "coordinator", startsAt: now.addingTimeInterval(-8 * 3600 + 60), endsAt: now.addingTimeInterval(60)),
            by: test.system())
        let handovers = HandoverService(context: context)
        #expect(try await handovers.generateForEndedShifts() == 0)
        test.clock.advance(by: 120)
        #expect(try await handovers.generateForEndedShifts() == 1)
        #expect(try await handovers.generateForEndedShifts() == 0)
        let generated = try #require(try await handovers.list(region: RegionCode("BR-SP")!, by: test.runtime.systemPrincipal("t")).first)
        #expect(generated.generatedBy == "system:handover" && generated.notes?.contains("left no handover") == true)
        await test.close()
    }
}
