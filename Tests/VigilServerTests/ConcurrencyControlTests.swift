import Foundation
import Kernel
import Testing
import VigilTesting

@Suite struct ConcurrencyControlTests {
    static let path = "/api/incident-ops/cases"

    @Test(arguments: TestEngine.available)
    func staleVersionGets412AndChangesNothing(_ engine: TestEngine) async throws {
        try await withServer(engine) { fixture in
            let created = try await fixture.analystSP.post(Self.path, ServerFixture.caseBody(severity: "S3"))
            #expect(created[header: "etag"] == "\"1\"")
            let id = try created.decode(IDOnly.self).id
            let first = try await fixture.analystSP.patch(Self.path + "/" + id, #"{"severity":"S2"}"#, headers: ["If-Match": "\"1\""])
            #expect(first.status == 200)
            #expect(first[header: "etag"] == "\"2\"")
            let auditBefore = try await fixture.test.count("vigil_audit")
            let outboxBefore = try await fixture.test.count("vigil_outbox")
            let stale = try await fixture.analystSP.patch(
                Self.path + "/" + id, #"{"severity":"S1","description":"overwritten"}"#, headers: ["If-Match": "\"1\""])
            #expect(stale.status == 412)
            #expect(stale.text.contains("version 2"))
            let now = try await fixture.analystSP.get(Self.path + "/" + id)
            #expect(now.text.contains("\"severity\":\"S2\""))
            #expect(now.text.contains("Rua Augusta"))
            #expect(try await fixture.test.count("vigil_audit") == auditBefore)
            #expect(try await fixture.test.count("vigil_outbox") == outboxBefore)
            let missing = try await fixture.analystSP.patch(Self.path + "/" + id, #"{"severity":"S1"}"#)
            #expect(missing.status == 428)
        }
    }

    @Test(arguments: TestEngine.available)
    func idempotencyKeyRetriesReturnTheFirstResultAndCreateOneRow(_ engine: TestEngine) async throws {
        try await withServer(engine) { fixture in
            let body = ServerFixture.caseBody(description: "Retried on a flaky network")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await fixture.analystSP.post(Self.path, body, headers: ["Idempotency-Key": "intake-77"]) }
                }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == 201 })
            let ids = Set(try responses.map { try $0.decode(IDOnly.self).id })
            #expect(ids.count == 1)
            #expect(responses.filter { $0[header: "idempotent-replayed"] == "true" }.count == 7)
            #expect(try await fixture.test.count("incident_cases") == 1)
            #expect(try await fixture.test.count("vigil_outbox") == 1)
            // The same key with another body is refused; the same key from another user is theirs.
            let reused = try await fixture.analystSP.post(
                Self.path, ServerFixture.caseBody(description: "Different"), headers: ["Idempotency-Key": "intake-77"])
            #expect(reused.status == 422)
            let other = try await fixture.admin.post(Self.path, body, headers: ["Idempotency-Key": "intake-77"])
            #expect(other.status == 201)
            #expect(try await fixture.test.count("incident_cases") == 2)
        }
    }
}
