import Foundation
import Kernel
import Testing
import VigilTesting

/// The console as an attacker would try it: without a session, with a forged or missing form
/// token, from another site, with markup in a record, and as someone who may not see a record.
@Suite("Console security", .serialized)
struct ConsoleSecurityTests {
    @Test("a page without a session sends the browser to sign in, and comes back after")
    func signInRequired() async throws {
        try await ConsoleWorld.with { world in
            let browser = world.browser()
            let page = try await browser.get("/console/incident-ops/cases?status=new")
            #expect(page.status == 303)
            #expect(page.location == "/console/login?next=%2Fconsole%2Fincident%2Dops%2Fcases" || page.location?.hasPrefix("/console/login?next=") == true)
            let posted = try await browser.post("/console/incident-ops/cases/new", form: [("description", "anonymous")])
            #expect(posted.status == 303)
            #expect(try await world.test.count("incident_cases") == 0)

            let wrong = try await browser.signIn(ConsoleWorld.coordinator.email, "not-the-password")
            #expect(wrong.status == 401)
            #expect(wrong.html.contains("role=\"alert\""))
            #expect(await browser.cookies["vigil_session"] == nil)

            let signedIn = try await browser.signIn(ConsoleWorld.coordinator.email, ConsoleWorld.coordinator.password, next: "/console/incident-ops/cases")
            #expect(signedIn.status == 303)
            #expect(signedIn.location == "/console/incident-ops/cases")
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("vigil_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "over plain HTTP on loopback the cookie cannot be Secure")
            #expect(try await browser.get("/console/incident-ops/cases").status == 200)
        }
    }

    @Test("sign-in never sends the browser to another site")
    func noOpenRedirect() async throws {
        try await ConsoleWorld.with { world in
            for next in [
                "https://evil.example/", "//evil.example/x", "/\\evil.example", "/api/session", "/console/../../evil", "/console/%2e%2e/%2e%2e/evil",
                "/console//evil.example", "/consolex",
            ] {
                let browser = world.browser()
                let answer = try await browser.signIn(ConsoleWorld.analyst.email, ConsoleWorld.analyst.password, next: next)
                #expect(answer.status == 303)
                #expect(answer.location == "/console", "next=\(next) led to \(answer.location ?? "nowhere")")
            }
        }
    }

    @Test("behind TLS the session cookie is Secure")
    func secureCookieBehindTLS() async throws {
        try await ConsoleWorld.with { world in
            let browser = world.browser()
            let login = try await browser.get("/console/login")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: login.html))
            let answer = try await browser.post(
                "/console/login", form: [("_csrf", token), ("email", ConsoleWorld.analyst.email), ("password", ConsoleWorld.analyst.password)],
                headers: ["X-Forwarded-Proto": "https"])
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("vigil_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("a form without its token, with another session's token, or from another site writes nothing")
    func csrfRefused() async throws {
        try await ConsoleWorld.with { world in
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let other = try await world.signedIn(ConsoleWorld.analyst)
            let form = try await coordinator.get("/console/incident-ops/cases/new")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html))
            let othersToken = try #require(ConsoleBrowser.hidden("_csrf", in: try await other.get("/console/incident-ops/cases/new").html))
            #expect(token != othersToken)
            let fields = [
                ("region", "BR-SP"), ("businessLine", "drivers"), ("category", "assault"), ("severity", "S3"), ("description", "forged"),
            ]
            let before = try await world.test.rowCounts()
            let missing = try await coordinator.post("/console/incident-ops/cases/new", form: fields)
            let foreign = try await coordinator.post("/console/incident-ops/cases/new", form: [("_csrf", othersToken)] + fields)
            let crossSite = try await coordinator.post(
                "/console/incident-ops/cases/new", form: [("_csrf", token)] + fields,
                headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"])
            for answer in [missing, foreign, crossSite] {
                #expect(answer.status == 403)
                #expect(answer.html.contains("<html lang=\"en\">"))
                #expect(!answer.html.contains("⟦"))
            }
            #expect(missing.html.contains("This form has expired"))
            #expect(crossSite.html.contains("another site"))
            let after = try await world.test.rowCounts()
            #expect(TestRuntime.delta(before, after).filter { !$0.key.hasPrefix("vigil_sessions") }.isEmpty)
            let accepted = try await coordinator.post("/console/incident-ops/cases/new", form: [("_csrf", token)] + fields)
            #expect(accepted.status == 303)
            #expect(try await world.test.count("incident_cases") == 1)
        }
    }

    @Test("signing out needs the form's token, and ends the session")
    func signOut() async throws {
        try await ConsoleWorld.with { world in
            let browser = try await world.signedIn(ConsoleWorld.analyst)
            let page = try await browser.get("/console/incident-ops/cases")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "logout-form"))
            #expect(try await browser.post("/console/logout", form: []).status == 403)
            #expect(try await browser.get("/console/incident-ops/cases").status == 200)
            #expect(try await browser.post("/console/logout", form: [("_csrf", token)]).status == 303)
            #expect(try await browser.get("/console/incident-ops/cases").status == 303)
        }
    }

    @Test("markup in a record is shown as text, in elements and in attributes")
    func markupEscaped() async throws {
        try await ConsoleWorld.with { world in
            let payload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'\u{301} onfocus=alert(3) {{_csrf}}"
            let id = try await world.openCase(region: "BR-SP", description: payload)
            let browser = try await world.signedIn(ConsoleWorld.coordinator)
            let page = try await browser.get("/console/incident-ops/cases/\(id)")
            #expect(page.status == 200)
            #expect(!page.html.contains("<script>alert"))
            #expect(!page.html.contains("<img src=x"))
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
            #expect(page.html.contains("{{_csrf}}"), "a record's text is never rendered as a template")
            let search = try await browser.get("/console/incident-ops/cases?q=%22%3E%3Cscript%3E")
            #expect(search.status == 200)
            #expect(search.html.contains("value=\"&quot;&gt;&lt;script&gt;\""))
            #expect(!search.html.contains("\"><script>"))
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
            #expect(page.headers["x-frame-options"] == "DENY")
        }
    }

    @Test("an analyst never sees another region's case or a sensitive one: not in the list, not by its page")
    func regionAndSensitiveScoping() async throws {
        try await ConsoleWorld.with { world in
            let mark = "SCOPEMARK\(UUID().uuidString.prefix(6))"
            let own = try await world.openCase(region: "BR-SP", description: "\(mark) own")
            let otherRegion = try await world.openCase(region: "BR-RJ", description: "\(mark) rio")
            let sensitive = try await world.openCase(region: "BR-SP", description: "\(mark) sensitive", sensitive: true)
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let seen = try await analyst.get("/console/incident-ops/cases?q=\(mark)")
            #expect(seen.html.contains(own))
            #expect(!seen.html.contains(otherRegion))
            #expect(!seen.html.contains(sensitive))
            #expect(!seen.html.contains("\(mark) rio") && !seen.html.contains("\(mark) sensitive"))
            #expect(!seen.html.contains("BR-RJ"), "the analyst's region filter offers only the regions they work in")
            for id in [otherRegion, sensitive] {
                let page = try await analyst.get("/console/incident-ops/cases/\(id)")
                #expect(page.status == 404)
                #expect(!page.html.contains(mark))
                let note = try await analyst.post(
                    "/console/incident-ops/cases/\(id)/note",
                    form: [("_csrf", ConsoleBrowser.hidden("_csrf", in: seen.html) ?? ""), ("text", "probe")])
                #expect(note.status == 404)
            }
            let all = try await coordinator.get("/console/incident-ops/cases?q=\(mark)")
            for id in [own, otherRegion, sensitive] { #expect(all.html.contains(id)) }
        }
    }
}

extension ConsoleSecurityTests {
    @Test("an unknown console address is the console's own not-found page, or sign-in")
    func unknownPage() async throws {
        try await ConsoleWorld.with { world in
            #expect(try await world.browser().get("/console/incident-ops/no-such-page").location == "/console/login")
            let browser = try await world.signedIn(ConsoleWorld.analyst, language: "pt-BR")
            let page = try await browser.get("/console/incident-ops/no-such-page")
            #expect(page.status == 404)
            #expect(page.html.contains("<html lang=\"pt-BR\">"))
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(try await browser.get("/console/incident-ops/cases").status == 200, "a real page is not taken by the catch-all")
        }
    }
}
