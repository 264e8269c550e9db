import Foundation
import IncidentOps
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct EscalationPolicyTests {
    @Test func coordinatorSetsTheRulesOverHTTPAndIntakeFollowsThem() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime)
        let sp = RegionCode("BR-SP")!
        let coordinator = try await test.user("coord@x.com", roles: [.shiftCoordinator], regions: .only([sp]))
        let analyst = try await test.user("ana@x.com", roles: [.analyst], regions: .only([sp]))
        let asCoordinator = TestClient(baseURL: server.baseURL, token: coordinator.token)
        let asAnalyst = TestClient(baseURL: server.baseURL, token: analyst.token)

        let builtIn = try await asAnalyst.get("/api/incident-ops/escalation-policies/BR-SP")
        #expect(builtIn.status == 200)
        #expect(try builtIn.decode(EscalationPolicy.self).isDefault)

        let rules =
            #"{"severityAtOrAbove":"S2","categories":["fraud"],"onBreach":false,"onWarning":true,"levels":[{"role":"specialist","waitMinutes":5},{"role":"coordinator"}]}"#
        let refused = try await asAnalyst.request("PUT", "/api/incident-ops/escalation-policies/BR-SP", json: rules)
        #expect(refused.status == 403)
        let auditBefore = try await test.count("vigil_audit")
        let badSeverity = try await asCoordinator.request(
            "PUT", "/api/incident-ops/escalation-policies/BR-SP",
            json: #"{"severityAtOrAbove":"S9","categories":[],"onBreach":true,"onWarning":false,"levels":[{"role":"coordinator"}]}"#)
        #expect(badSeverity.status == 422 && badSeverity.problemFields == ["severityAtOrAbove:not-allowed"])
        let bad = try await asCoordinator.request(
            "PUT", "/api/incident-ops/escalation-policies/BR-SP",
            json:
                #"{"categories":["aliens"],"onBreach":true,"onWarning":false,"levels":[{"role":"boss","waitMinutes":0},{"role":"coordinator","waitMinutes":5}]}"#
        )
        #expect(bad.status == 422)
        #expect(bad[header: "content-type"]?.hasPrefix("application/problem+json") == true)
        #expect(
            Set(bad.problemFields) == [
                "categories:not-allowed", "levels[0].role:not-allowed", "levels[0].waitMinutes:out-of-range", "levels[1].waitMinutes:not-allowed",
            ])
        #expect(try await test.count("incident_escalation_policies") == 0)
        #expect(try await test.count("vigil_audit") == auditBefore)

        let set = try await asCoordinator.request("PUT", "/api/incident-ops/escalation-policies/BR-SP", json: rules)
        #expect(set.status == 200)
        let policy = try set.decode(EscalationPolicy.self)
        #expect(!policy.isDefault && policy.severityAtOrAbove == .s2 && policy.categories == ["fraud"] && policy.levels.map(\.waitMinutes) == [5, nil])
        let audit = try await test.runtime.audit.timeline(of: EntityRef("incident-ops.escalation-policy", "BR-SP"))
        #expect(audit.map(\.action) == ["incident-ops.escalation.policy.set"] && audit[0].actor == "user:coord@x.com")

        // The new rules apply at once: an S2 escalates, an S3 assault (built-in rule) no longer does.
        let context = test.runtime.context(for: IncidentOpsModule.id)
        let cases = CaseService(context: context)
        let escalations = EscalationService(context: context)
        let s2 = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        var assault = CaseIntakeTests.input(severity: "S3")
        assault.category = "assault"
        let s3 = try await cases.open(assault, by: test.system())
        let inbox = try await escalations.inbox(region: sp, state: .open, by: test.runtime.systemPrincipal("t"))
        #expect(inbox.map(\.caseId) == [s2.id])
        #expect(inbox.first?.nextLevelAt == test.clock.now().roundedToMicros.addingTimeInterval(5 * 60))
        #expect(!inbox.contains { $0.caseId == s3.id })
        try await server.stop()
        await test.close()
    }
}
