import Foundation
import IncidentOps
import Kernel
import Testing
import VigilIdentity
import VigilServer
import VigilTesting

@Suite struct IdentityTests {
    func withRuntime(_ engine: TestEngine, _ body: (TestRuntime) async throws -> Void) async throws {
        let test = try await TestRuntime.make(engine, domains: [IncidentOpsModule.self])
        do {
            try await body(test)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    @Test(arguments: TestEngine.available)
    func userCreationValidatesEveryFieldAndIsAudited(_ engine: TestEngine) async throws {
        try await withRuntime(engine) { test in
            await #expect {
                try await test.runtime.users.create(
                    .init(email: "not-an-email", name: " ", password: "short", roles: ["pilot"], regions: .only([])), by: test.system())
            } throws: { error in
                let fields = Set((error as? VigilError)?.fields.map(\.field) ?? [])
                return fields == ["email", "name", "roles", "password", "regions"]
            }
            await #expect {
                try await test.runtime.users.create(
                    .init(email: "a@example.com", name: "A", password: nil, roles: [.analyst], regions: .only([RegionCode("ZZ-ZZ")!])), by: test.system())
            } throws: {
                "\($0)".contains("unknown region ZZ-ZZ")
            }
            #expect(try await test.count("vigil_users") == 0)
            let user = try await test.runtime.users.create(
                .init(email: "Ana@Example.com", name: "Ana", password: "correct horse battery", roles: [.analyst], regions: .only([RegionCode("BR-SP")!])),
                by: test.system())
            #expect(user.email == "ana@example.com")
            await #expect {
                try await test.runtime.users.create(
                    .init(email: "ana@example.com", name: "Dup", password: nil, roles: [.analyst], regions: .all), by: test.system())
            } throws: {
                ($0 as? VigilError)?.kind == .conflict
            }
            let timeline = try await test.runtime.audit.timeline(of: user.entity)
            #expect(timeline.map(\.action) == ["vigil.user.create"])
            #expect(!timeline[0].changes.contains("$2"))  // never the bcrypt hash
        }
    }

    @Test(arguments: TestEngine.available)
    func onlyUserManagersCreateUsers(_ engine: TestEngine) async throws {
        try await withRuntime(engine) { test in
            let analyst = try await test.user("an@example.com", roles: [.analyst], regions: .all)
            await #expect {
                try await test.runtime.users.create(
                    .init(email: "x@example.com", name: "X", password: nil, roles: [.admin], regions: .all), by: test.invocation(analyst.principal))
            } throws: {
                ($0 as? VigilError)?.kind == .forbidden
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func tokensResolveUntilRevokedExpiredOrTheUserIsDeactivated(_ engine: TestEngine) async throws {
        try await withRuntime(engine) { test in
            let (user, _, secret) = try await test.user("tok@example.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
            let principal = try await test.runtime.authenticator.principal(forSecret: secret)
            #expect(principal?.actor == "user:tok@example.com")
            #expect(principal?.has("vigil.user.manage") == false)
            #expect(principal?.credential?.hasPrefix("token:") == true)
            #expect(try await test.runtime.authenticator.principal(forSecret: secret + "x") == nil)
            #expect(try await test.runtime.authenticator.principal(forSecret: "garbage") == nil)

            let expiring = try await test.runtime.tokens.create(for: user, name: "short", expiresAt: test.clock.now().addingTimeInterval(60), by: test.system())
            #expect(try await test.runtime.authenticator.principal(forSecret: expiring.secret) != nil)
            test.clock.advance(by: 61)
            #expect(try await test.runtime.authenticator.principal(forSecret: expiring.secret) == nil)

            let tokens = try await test.runtime.tokens.list(userID: user.id)
            let first = try #require(tokens.first { $0.name == "test" })
            _ = try await test.runtime.tokens.revoke(id: first.id, by: test.system())
            #expect(try await test.runtime.authenticator.principal(forSecret: secret) == nil)

            let another = try await test.runtime.tokens.create(for: user, name: "again", expiresAt: nil, by: test.system())
            _ = try await test.runtime.users.setActive(email: user.email, active: false, by: test.system())
            #expect(try await test.runtime.authenticator.principal(forSecret: another.secret) == nil)
            let actions = try await test.runtime.audit.timeline(of: first.entity).map(\.action)
            #expect(actions == ["vigil.token.create", "vigil.token.revoke"])
        }
    }

    @Test(arguments: TestEngine.available)
    func passwordSignInGivesASessionAndRefusesAlikeForEveryFailure(_ engine: TestEngine) async throws {
        try await withRuntime(engine) { test in
            _ = try await test.runtime.users.create(
                .init(email: "pw@example.com", name: "P", password: "a long enough password", roles: [.auditor], regions: .all), by: test.system())
            let session = try await test.runtime.sessions.login(email: "pw@example.com", password: "a long enough password", requestID: "r")
            let principal = try await test.runtime.authenticator.principal(forSecret: session.secret)
            #expect(principal?.has(PlatformPermissions.auditRead) == true)
            var messages: Set<String> = []
            for (email, password) in [("pw@example.com", "wrong password!!"), ("nobody@example.com", "a long enough password")] {
                await #expect { try await test.runtime.sessions.login(email: email, password: password, requestID: "r") } throws: { error in
                    messages.insert((error as? VigilError)?.detail ?? "")
                    return (error as? VigilError)?.kind == .unauthorized
                }
            }
            #expect(messages.count == 1)
            try await test.runtime.sessions.logout(by: test.invocation(principal!))
            #expect(try await test.runtime.authenticator.principal(forSecret: session.secret) == nil)
        }
    }
}
