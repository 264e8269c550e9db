import Foundation
import Kernel
import Testing
import VigilTesting

/// The admin's pages: people, their access and tokens, the audit log and its chain, the system.
@Suite("Console platform pages", .serialized)
struct ConsolePlatformTests {
    @Test("an admin adds a user from the form; the user signs in; a stale access form is refused; deactivation ends their sign-in")
    func usersLifecycle() async throws {
        try await ConsoleWorld.with { world in
            let admin = try await world.signedIn(ConsoleWorld.admin)
            let list = try await admin.get("/console/users")
            #expect(list.status == 200)
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: list.html, form: "user-form"))
            let bad = try await admin.post(
                "/console/users/new", form: [("_csrf", token), ("email", "not-an-email"), ("name", "X <b>"), ("roles", "analyst"), ("regions", "BR-SP")])
            #expect(bad.status == 422)
            #expect(bad.html.contains("X &lt;b&gt;"))
            let created = try await admin.post(
                "/console/users/new",
                form: [
                    ("_csrf", token), ("email", "bruno@console.test"), ("name", "Bruno"), ("password", "bruno-password-12"), ("roles", "analyst"),
                    ("regions", "BR-SP"),
                ])
            #expect(created.status == 303)
            let userPath = try #require(created.location)
            let page = try await admin.follow(created)
            #expect(page.html.contains("bruno@console.test"))
            #expect(try await world.browser().signIn("bruno@console.test", "bruno-password-12").status == 303)

            let version = try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "access-form"))
            let changed = try await admin.post(
                userPath + "/access", form: [("_csrf", token), ("_version", version), ("roles", "analyst"), ("regions", "BR-SP"), ("regions", "BR-RJ")])
            #expect(changed.status == 303)
            #expect(try await admin.follow(changed).html.contains("BR-RJ"))
            let stale = try await admin.post(
                userPath + "/access", form: [("_csrf", token), ("_version", version), ("roles", "specialist"), ("allRegions", "true")])
            let refused = try await admin.follow(stale)
            #expect(refused.html.contains("class=\"flash error\""))
            #expect(refused.html.contains(ConsoleWorld.admin.email))
            let user = try #require(try await world.test.runtime.users.find(email: "bruno@console.test"))
            #expect(user.roles == [.analyst])

            let off = try await admin.post(userPath + "/active", form: [("_csrf", token), ("active", "false")])
            #expect(off.status == 303)
            #expect(try await world.browser().signIn("bruno@console.test", "bruno-password-12").status != 303)
        }
    }

    @Test("the last admin cannot lose the admin role from the console")
    func lastAdminKept() async throws {
        try await ConsoleWorld.with { world in
            // The world's setup admin has no password; deactivate it so the console's admin is the last.
            _ = try await world.test.runtime.users.setActive(email: "admin@console.test", active: false, by: world.test.system())
            let admin = try await world.signedIn(ConsoleWorld.admin)
            let me = try #require(try await world.test.runtime.users.find(email: ConsoleWorld.admin.email))
            let page = try await admin.get("/console/users/\(me.id.lowercased)")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "access-form"))
            let answer = try await admin.post(
                "/console/users/\(me.id.lowercased)/access",
                form: [("_csrf", token), ("_version", String(me.version)), ("roles", "analyst"), ("allRegions", "true")])
            #expect(try await admin.follow(answer).html.contains("last active admin"))
            #expect(try await world.test.runtime.users.find(email: ConsoleWorld.admin.email)?.roles == [.admin])
        }
    }

    @Test("a token is shown once when created, works on the API, and stops when revoked")
    func tokens() async throws {
        try await ConsoleWorld.with { world in
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let me = try #require(try await world.test.runtime.users.find(email: ConsoleWorld.analyst.email))
            let page = try await analyst.get("/console/users/\(me.id.lowercased)")
            #expect(page.status == 200, "a person sees their own page and tokens")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "token-form"))
            let issued = try await analyst.post("/console/users/\(me.id.lowercased)/tokens", form: [("_csrf", token), ("name", "my script")])
            #expect(issued.status == 200)
            let secret = try #require(issued.html.range(of: "<code id=\"token-secret\">").map { issued.html[$0.upperBound...].prefix { $0 != "<" } })
            let api = TestClient(baseURL: world.server.baseURL, token: String(secret))
            #expect(try await api.get("/api/incident-ops/cases").status == 200)
            let again = try await analyst.get("/console/users/\(me.id.lowercased)")
            #expect(!again.html.contains(String(secret)))
            let tokenID = try #require(try await world.test.runtime.tokens.list(userID: me.id).first?.id.lowercased)
            let revoked = try await analyst.post("/console/users/\(me.id.lowercased)/tokens/\(tokenID)/revoke", form: [("_csrf", token)])
            #expect(revoked.status == 303)
            #expect(try await api.get("/api/incident-ops/cases").status == 401)
            // Another person's page is not the analyst's to read.
            let other = try #require(try await world.test.runtime.users.find(email: ConsoleWorld.coordinator.email))
            #expect(try await analyst.get("/console/users/\(other.id.lowercased)").status == 403)
            #expect(try await analyst.get("/console/users").status == 403)
            #expect(try await analyst.get("/console/system").status == 403)
        }
    }

    @Test("the audit page shows what happened and verifies the chain")
    func auditPage() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "audited")
            let admin = try await world.signedIn(ConsoleWorld.admin)
            let recent = try await admin.get("/console/audit")
            #expect(recent.html.contains("incident-ops.case/\(id)"))
            let timeline = try await admin.get("/console/audit?entity=incident-ops.case%2F\(id)")
            #expect(timeline.html.contains("incident-ops.case.open") || timeline.html.contains("incident-ops.case"))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: recent.html, form: "verify-form"))
            let verified = try await admin.post("/console/audit/verify", form: [("_csrf", token)])
            #expect(verified.status == 200)
            #expect(verified.html.contains("id=\"verification\" class=\"flash success\""))
            let bad = try await admin.get("/console/audit?entity=nothing")
            #expect(bad.status == 422)
            let system = try await admin.get("/console/system")
            #expect(system.html.contains("data-domain=\"incident-ops\""))
        }
    }
}
