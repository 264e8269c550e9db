import Foundation
import IncidentOps
import Kernel
import Testing
import VigilTesting

@Suite struct SOPTests {
    @Test func casesFollowTheVersionInForceAndCloseOnlyWithMandatoryStepsSettled() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let sops = SOPService(context: context)
        let v1 = try await sops.publish(
            SOPInput(
                category: "traffic-accident", title: "Traffic accident",
                steps: [
                    SOPStep(key: "contact-reporter", title: "Contact the reporter", mandatory: true, deadlineMinutes: 15),
                    SOPStep(key: "notify-authorities", title: "Notify authorities", mandatory: true, deadlineMinutes: 30, minimumSeverity: .s1),
                    SOPStep(key: "document-evidence", title: "Document evidence", mandatory: false, deadlineMinutes: 60),
                ]), by: test.system())
        #expect(v1.version == 1)
        let ordinary = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        #expect(ordinary.sopId == v1.id)
        #expect(try await cases.checklist(ordinary.id, by: test.runtime.systemPrincipal("t")).map(\.key) == ["contact-reporter", "document-evidence"])
        let severe = try await cases.open(CaseIntakeTests.input(severity: "S1"), by: test.system())
        #expect(try await cases.checklist(severe.id, by: test.runtime.systemPrincipal("t")).count == 3)

        let v2 = try await sops.publish(
            SOPInput(
                category: "traffic-accident", title: "Traffic accident v2",
                steps: [
                    SOPStep(key: "check-rider-location", title: "Check rider location", mandatory: true, deadlineMinutes: 5)
                ]), by: test.system())
        #expect(v2.version == 2)
        #expect(try await cases.checklist(ordinary.id, by: test.runtime.systemPrincipal("t")).map(\.key) == ["contact-reporter", "document-evidence"])
        #expect(try await cases.open(CaseIntakeTests.input(severity: "S3"), by: test.system()).sopId == v2.id)

        _ = try await cases.transition(ordinary.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        let refused = await #expect(throws: VigilError.self) {
            try await cases.transition(ordinary.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system())
        }
        #expect(refused?.kind == .conflict && refused?.detail.contains("contact-reporter") == true)
        let analyst = try await test.user("an@x.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        await #expect(throws: VigilError.self) {
            try await cases.waiveStep(ordinary.id, step: "contact-reporter", reason: "Reporter unreachable", by: test.invocation(analyst.principal))
        }
        test.clock.advance(by: 20 * 60)
        let steps = try await cases.waiveStep(ordinary.id, step: "contact-reporter", reason: "Reporter's phone is off; tried three times", by: test.system())
        #expect(steps.first { $0.key == "contact-reporter" }?.waivedBy?.hasPrefix("system:") == true)
        let closed = try await cases.transition(ordinary.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system())
        #expect(closed.status == .closed)
        let audit = try await test.runtime.audit.timeline(of: ordinary.entity)
        #expect(
            audit.contains {
                $0.action == "incident-ops.case.sop-step-waived"
                    && $0.fieldChanges.contains { $0.after == .string("Reporter's phone is off; tried three times") }
            })
        _ = try await cases.completeStep(severe.id, step: "contact-reporter", by: test.system())
        await #expect(throws: VigilError.self) { try await cases.completeStep(severe.id, step: "contact-reporter", by: test.system()) }
        #expect(try await cases.checkClocks(nil, by: test.runtime.systemPrincipal("t")).mismatches.isEmpty)
        await test.close()
    }
}
