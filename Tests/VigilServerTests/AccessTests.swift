import Foundation
import Kernel
import Testing
import VigilTesting

@Suite struct AccessTests {
    static let path = "/api/incident-ops/cases"

    @Test func unauthenticatedAndUnknownTokensGet401() async throws {
        try await withServer { fixture in
            let none = try await fixture.anonymous.get(Self.path)
            #expect(none.status == 401)
            #expect(none[header: "www-authenticate"]?.hasPrefix("Bearer") == true)
            let forged = try await TestClient(baseURL: fixture.server.baseURL, token: "vgl_forged").get(Self.path)
            #expect(forged.status == 401)
        }
    }

    @Test func missingPermissionGets403() async throws {
        try await withServer { fixture in
            // A field supervisor works rider inspections, not the incident desk.
            let list = try await fixture.supervisor.get(Self.path)
            #expect(list.status == 403)
            let open = try await fixture.supervisor.post(Self.path, ServerFixture.caseBody())
            #expect(open.status == 403)
            #expect(try await fixture.test.count("incident_cases") == 0)
            let audit = try await fixture.analystSP.get("/api/audit?entity=vigil.user/x")
            #expect(audit.status == 403)
        }
    }

    @Test(arguments: TestEngine.available)
    func otherRegionsRecordsAreInvisibleAndUnwritable(_ engine: TestEngine) async throws {
        try await withServer(engine) { fixture in
            let created = try await fixture.analystSP.post(Self.path, ServerFixture.caseBody())
            #expect(created.status == 201)
            let id = try created.decode(IDOnly.self).id
            // Mexico's analyst: not found (not forbidden), not listed, not counted.
            let show = try await fixture.analystMX.get(Self.path + "/" + id)
            #expect(show.status == 404)
            #expect(!show.text.contains("Rua Augusta"))
            let byReference = try await fixture.analystMX.get(Self.path + "/" + (try created.decode(IDOnly.self).reference))
            #expect(byReference.status == 404)
            let list = try await fixture.analystMX.get(Self.path)
            #expect(list.status == 200 && !list.text.contains(id))
            let filtered = try await fixture.analystMX.get(Self.path + "?region=BR-SP")
            #expect(filtered.status == 200 && !filtered.text.contains(id))
            let update = try await fixture.analystMX.patch(Self.path + "/" + id, #"{"severity":"S1"}"#, headers: ["If-Match": "\"1\""])
            #expect(update.status == 404)
            let intoOtherRegion = try await fixture.analystMX.post(Self.path, ServerFixture.caseBody(region: "BR-SP"))
            #expect(intoOtherRegion.status == 403)
            #expect(try await fixture.test.count("incident_cases") == 1)
        }
    }

    @Test func sensitiveCasesAreHiddenFromThoseWithoutSensitiveAccess() async throws {
        try await withServer { fixture in
            let sensitive = try await fixture.admin.post(Self.path, ServerFixture.caseBody(description: "Harassment report", sensitive: true))
            #expect(sensitive.status == 201)
            let id = try sensitive.decode(IDOnly.self).id
            #expect(try await fixture.analystSP.get(Self.path + "/" + id).status == 404)
            #expect(!(try await fixture.analystSP.get(Self.path).text.contains(id)))
            #expect(try await fixture.admin.get(Self.path + "/" + id).status == 200)
            // The analyst who reports a sensitive case still sees their own report.
            let own = try await fixture.analystSP.post(Self.path, ServerFixture.caseBody(description: "Own report", sensitive: true))
            let ownID = try own.decode(IDOnly.self).id
            #expect(try await fixture.analystSP.get(Self.path + "/" + ownID).status == 200)
            #expect(try await fixture.analystSP.get(Self.path).text.contains(ownID))
        }
    }
}

struct IDOnly: Decodable {
    let id: String
    let reference: String
    let version: Int
}
