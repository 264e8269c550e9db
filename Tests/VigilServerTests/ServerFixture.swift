import Foundation
import IncidentOps
import Kernel
import RiderCompliance
import VigilServer
import VigilTesting

/// A live server over a fresh database with IncidentOps, and users of several kinds.
struct ServerFixture {
    let test: TestRuntime
    let server: LiveServer
    let admin: TestClient
    let analystSP: TestClient
    let analystMX: TestClient
    let supervisor: TestClient
    let anonymous: TestClient

    static func start(_ engine: TestEngine = .sqlite, settings: [String: String] = [:]) async throws -> ServerFixture {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self, RiderComplianceModule.self], settings: settings)
        let server = try await LiveServer.start(test.runtime)
        let admin = try await test.user("admin@example.com", roles: [.admin], regions: .all)
        let sp = try await test.user("ana@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        let mx = try await test.user("luis@example.com", roles: [.analyst], regions: .only([RegionCode("MX-CMX")!]))
        let supervisor = try await test.user("sup@example.com", roles: [.fieldSupervisor], regions: .only([RegionCode("BR-SP")!]))
        return ServerFixture(
            test: test, server: server,
            admin: TestClient(baseURL: server.baseURL, token: admin.token),
            analystSP: TestClient(baseURL: server.baseURL, token: sp.token),
            analystMX: TestClient(baseURL: server.baseURL, token: mx.token),
            supervisor: TestClient(baseURL: server.baseURL, token: supervisor.token),
            anonymous: TestClient(baseURL: server.baseURL, token: nil)
        )
    }

    func stop() async {
        try? await server.stop()
        await test.close()
    }

    static func caseBody(region: String = "BR-SP", severity: String = "S2", description: String = "Rider fell at Rua Augusta", sensitive: Bool = false)
        -> String
    {
        #"{"region":"\#(region)","businessLine":"drivers","category":"traffic-accident","severity":"\#(severity)","description":"\#(description)","sensitive":\#(sensitive)}"#
    }
}

/// Runs `body` with a started fixture and always stops it.
func withServer(_ engine: TestEngine = .sqlite, settings: [String: String] = [:], _ body: (ServerFixture) async throws -> Void) async throws {
    let fixture = try await ServerFixture.start(engine, settings: settings)
    do {
        try await body(fixture)
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}
