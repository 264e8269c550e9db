import Foundation
import IncidentOps
import JSONCoding
import Kernel
import VigilServer
import VigilTesting

/// A live server with the incident desk, and people who sign in to the console with passwords: a
/// coordinator of every region (who sees sensitive cases) and an analyst of São Paulo (who does not).
struct ConsoleWorld {
    let test: TestRuntime
    let server: LiveServer
    /// The admin's bearer client, to change records behind a page's back.
    let api: TestClient
    static let coordinator = (email: "carla@console.test", name: "Carla Coordinator", password: "coordinator-password-1")
    static let analyst = (email: "ana@console.test", name: "Ana Analyst", password: "analyst-password-1")
    static let admin = (email: "root@console.test", name: "Rita Root", password: "admin-password-123")

    static func make(domains: [any DomainModule.Type] = [IncidentOpsModule.self]) async throws -> ConsoleWorld {
        let test = try await TestRuntime.make(domains: domains)
        let server: LiveServer
        do { server = try await LiveServer.start(test.runtime) } catch {
            await test.close()
            throw error
        }
        do {
            let admin = try await test.user("admin@console.test", roles: [.admin], regions: .all)
            for person in [
                (ConsoleWorld.coordinator, [Role.shiftCoordinator], RegionScope.all),
                (ConsoleWorld.analyst, [Role.analyst], RegionScope.only([RegionCode("BR-SP")!])),
                (ConsoleWorld.admin, [Role.admin], RegionScope.all),
            ] {
                _ = try await test.runtime.users.create(
                    .init(email: person.0.email, name: person.0.name, password: person.0.password, roles: person.1, regions: person.2), by: test.system())
            }
            return ConsoleWorld(test: test, server: server, api: TestClient(baseURL: server.baseURL, token: admin.token))
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
    }

    func browser(_ language: String = "en") -> ConsoleBrowser { ConsoleBrowser(baseURL: server.baseURL, language: language) }

    func signedIn(_ person: (email: String, name: String, password: String), language: String = "en") async throws -> ConsoleBrowser {
        let browser = browser(language)
        let answer = try await browser.signIn(person.email, person.password)
        guard answer.status == 303 else { throw VigilError(.unauthorized, "\(person.email) could not sign in: \(answer.status)") }
        return browser
    }

    /// Opens a case through the API as the admin; its id.
    func openCase(region: String, description: String, sensitive: Bool = false) async throws -> String {
        let body = JSONValue.object([
            "region": .string(region), "businessLine": .string("drivers"), "category": .string("assault"), "severity": .string("S3"),
            "description": .string(description), "sensitive": .bool(sensitive),
        ])
        let response = try await api.post("/api/incident-ops/cases", body.jsonText)
        guard response.status == 201, let id = response.json?[member: "id"]?.text else {
            throw VigilError(.internal, "opening a case answered \(response.status): \(response.text)")
        }
        return id
    }

    func close() async {
        try? await server.stop()
        await test.close()
    }

    /// Runs `body` in a fresh world and closes it, whatever happens.
    static func with(domains: [any DomainModule.Type] = [IncidentOpsModule.self], _ body: (ConsoleWorld) async throws -> Void) async throws {
        let world = try await ConsoleWorld.make(domains: domains)
        do {
            try await body(world)
        } catch {
            await world.close()
            throw error
        }
        await world.close()
    }
}
