import Foundation
import IncidentOps
import Kernel
import Testing
import VigilTesting

/// Live pages: the feed tells a browser, within the 2 s the desk needs, that something it may see
/// changed — and only that; the dashboard then shows it through the scoped page handler.
@Suite("Console live", .serialized)
struct ConsoleLiveTests {
    @Test("a case opened through the API reaches a coordinator's open feed within 2 s, and the dashboard shows it")
    func intakeReachesTheFeed() async throws {
        try await ConsoleWorld.with { world in
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let before = try await coordinator.get("/console/incident-ops?region=BR-SP")
            #expect(before.status == 200)
            #expect(before.html.contains("data-live=\"incident-ops\""))
            #expect(before.html.contains("id=\"no-queue-cases\""))
            let feed = try await coordinator.openLive()
            defer { feed.cancel() }
            #expect(feed.status == 200)
            #expect(await feed.wait(for: "#live", within: .seconds(5)))
            _ = try await world.openCase(region: "BR-SP", description: "live intake")
            #expect(await feed.wait(for: "change", within: .seconds(2)), "events so far: \(feed.events)")
            let after = try await coordinator.get("/console/incident-ops?region=BR-SP")
            #expect(after.html.contains("data-open>1<"))
            #expect(!after.html.contains("id=\"no-queue-cases\""))
        }
    }

    @Test("an analyst's feed stays silent for another region's cases, and the dashboard never counts sensitive ones")
    func feedAndDashboardScoped() async throws {
        try await ConsoleWorld.with { world in
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let feed = try await analyst.openLive()
            defer { feed.cancel() }
            #expect(await feed.wait(for: "#live", within: .seconds(5)))
            _ = try await world.openCase(region: "BR-RJ", description: "elsewhere")
            try await Task.sleep(for: .seconds(1))
            #expect(!feed.events.contains("change"), "a Rio case was announced to a São Paulo analyst")
            _ = try await world.openCase(region: "BR-SP", description: "sensitive one", sensitive: true)
            _ = try await world.openCase(region: "BR-SP", description: "ordinary one")
            #expect(await feed.wait(for: "change", within: .seconds(2)))
            let dashboard = try await analyst.get("/console/incident-ops")
            #expect(dashboard.html.contains("data-open>1<"), "the analyst's dashboard counts the sensitive case")
            #expect(!dashboard.html.contains("BR-RJ") && !dashboard.html.contains("Rio de Janeiro"))
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            #expect(try await coordinator.get("/console/incident-ops?region=BR-SP").html.contains("data-open>2<"))
        }
    }

    @Test("the feed needs a session and a domain of this build; a reconnect catches up at once")
    func feedRules() async throws {
        try await ConsoleWorld.with { world in
            let anonymous = try await world.browser().openLive()
            #expect(anonymous.status == 401)
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let unknown = try await coordinator.openLive(domains: "no-such-domain")
            #expect(unknown.status == 400)
            let reconnect = try await coordinator.openLive(lastEventID: "12345")
            defer { reconnect.cancel() }
            #expect(await reconnect.wait(for: "change", within: .seconds(2)))
        }
    }

    @Test("a signed-out browser is told so at the next heartbeat, and the stream ends")
    func signedOutEndsTheStream() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let server = try await LiveServer.start(test.runtime, liveHeartbeat: .milliseconds(200))
        do {
            _ = try await test.runtime.users.create(
                .init(email: "out@console.test", name: "Out", password: "signed-out-password-1", roles: [.analyst], regions: .all), by: test.system())
            let browser = ConsoleBrowser(baseURL: server.baseURL)
            #expect(try await browser.signIn("out@console.test", "signed-out-password-1").status == 303)
            let feed = try await browser.openLive()
            #expect(await feed.wait(for: "#beat", within: .seconds(3)))
            let page = try await browser.get("/console/incident-ops/cases")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "logout-form"))
            #expect(try await browser.post("/console/logout", form: [("_csrf", token)]).status == 303)
            #expect(await feed.wait(for: "signed-out", within: .seconds(3)))
            #expect(await feed.waitForEnd(within: .seconds(3)))
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
        try await server.stop()
        await test.close()
    }

    @Test("stopping the server ends open streams instead of waiting on them")
    func shutdownEndsStreams() async throws {
        let world = try await ConsoleWorld.make()
        let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
        let feeds = try await [coordinator.openLive(), coordinator.openLive()]
        for feed in feeds { #expect(await feed.wait(for: "#live", within: .seconds(5))) }
        let started = ContinuousClock.now
        await world.close()
        #expect(ContinuousClock.now - started < .seconds(10))
        for feed in feeds { #expect(await feed.waitForEnd(within: .seconds(5))) }
    }
}

extension ConsoleLiveTests {
    @Test("a note added through the API reaches an open case page's feed")
    func noteReachesTheFeed() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "noted live")
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let feed = try await coordinator.openLive()
            defer { feed.cancel() }
            #expect(await feed.wait(for: "#live", within: .seconds(5)))
            let note = try await world.api.post("/api/incident-ops/cases/\(id)/notes", #"{"text":"called the rider"}"#)
            #expect(note.status == 201)
            #expect(await feed.wait(for: "change", within: .seconds(2)))
        }
    }
}
