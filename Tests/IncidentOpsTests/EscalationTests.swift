import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct EscalationTests {
    @Test func chainClimbsOnAFixedClockUntilAcknowledged() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let escalations = EscalationService(context: context)
        let desk = DeskService(context: context)
        let specialist = try await test.user("spec@x.com", roles: [.specialist], regions: .only([RegionCode("BR-SP")!]))
        _ = try await test.user("coord@x.com", roles: [.shiftCoordinator], regions: .only([RegionCode("BR-SP")!]))
        let now = test.clock.now()
        _ = try await desk.addShift(
            ShiftInput(email: "spec@x.com", region: "BR-SP", role: "specialist", startsAt: now, endsAt: now.addingTimeInterval(8 * 3600)), by: test.system())
        _ = try await desk.addShift(
            ShiftInput(email: "coord@x.com", region: "BR-SP", role: "coordinator", startsAt: now, endsAt: now.addingTimeInterval(8 * 3600)), by: test.system())

        var input = CaseIntakeTests.input(severity: "S3")
        input.category = "assault"
        let incident = try await cases.open(input, by: test.system())
        var inbox = try await escalations.inbox(region: RegionCode("BR-SP"), state: nil, by: test.runtime.systemPrincipal("t"))
        #expect(inbox.count == 1 && inbox[0].level == 1 && inbox[0].targetRoles == ["specialist"] && inbox[0].trigger == .category)
        test.clock.advance(by: 9 * 60)
        #expect(try await escalations.advanceDue() == 0)
        test.clock.advance(by: 2 * 60)
        #expect(try await escalations.advanceDue() == 1)
        inbox = try await escalations.inbox(region: RegionCode("BR-SP"), state: nil, by: test.runtime.systemPrincipal("t"))
        #expect(inbox[0].level == 2 && inbox[0].targetRoles == ["coordinator"] && inbox[0].nextLevelAt == nil)
        test.clock.advance(by: 3600)
        #expect(try await escalations.advanceDue() == 0)  // the last level stays

        let notices = try await OutboxStore(database: test.runtime.database).events(after: 0, types: [EscalationNotice.eventType], limit: 10).compactMap {
            try $0.decode(EscalationNotice.self)
        }
        #expect(notices.map(\.level) == [1, 2])
        #expect(
            notices[0].onShift == ["spec@x.com"] || notices[0].onShift.allSatisfy { $0.contains(specialist.user.id.lowercased) || $0.contains("spec@x.com") })
        #expect(notices[1].roles == ["coordinator"] && notices[1].onShift.count == 1)

        let acknowledged = try await escalations.acknowledge(inbox[0].id, by: test.invocation(specialist.principal))
        #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedBy == "user:spec@x.com")
        await #expect(throws: VigilError.self) { try await escalations.acknowledge(inbox[0].id, by: test.invocation(specialist.principal)) }
        #expect(try await escalations.inbox(region: nil, state: .open, by: test.runtime.systemPrincipal("t")).isEmpty)
        _ = incident
        await test.close()
    }

    @Test func severityBreachAndManualRulesRaiseAndResolvingCloses() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let escalations = EscalationService(context: context)
        let severe = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        var open = try await escalations.inbox(region: nil, state: .open, by: test.runtime.systemPrincipal("t"))
        #expect(open.count == 1 && open[0].trigger == .severity && open[0].targetRoles == ["specialist", "coordinator"])
        // S2's first action (60 min) breaches: the scanner raises an escalation for it.
        let slow = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        test.clock.advance(by: 61 * 60)
        try await SLAScannerProbe.scan(context)
        open = try await escalations.inbox(region: nil, state: .open, by: test.runtime.systemPrincipal("t"))
        #expect(open.contains { $0.caseId == slow.id && $0.trigger == .slaBreach })
        let manual = try await cases.open(CaseIntakeTests.input(severity: "S4"), by: test.system())
        _ = try await cases.transition(
            manual.id, TransitionInput(to: "escalated", note: "Media asked about it"), expectedVersion: manual.version, by: test.system())
        open = try await escalations.inbox(region: nil, state: .open, by: test.runtime.systemPrincipal("t"))
        #expect(open.first { $0.caseId == manual.id }?.reason == "Media asked about it")
        _ = try await cases.transition(
            severe.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: severe.version, by: test.system())
        open = try await escalations.inbox(region: nil, state: .open, by: test.runtime.systemPrincipal("t"))
        #expect(!open.contains { $0.caseId == severe.id })
        #expect(try await cases.checkClocks(nil, by: test.runtime.systemPrincipal("t")).mismatches.isEmpty)
        await test.close()
    }
}

/// Runs the module's SLA scanner job, as the server would.
enum SLAScannerProbe {
    static func scan(_ context: DomainContext) async throws {
        try await IncidentOpsModule(context: context).jobs().first { $0.name == "sla-scanner" }!.run()
    }
}
