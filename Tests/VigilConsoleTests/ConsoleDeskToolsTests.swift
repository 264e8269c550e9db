import Calendars
import Foundation
import IncidentOps
import JSONCoding
import Kernel
import Testing
import VigilTesting

/// The desk's tools beyond the queue: the report with its charts and CSV, links and merge on the
/// case page, the roster week grid, the runbook editor, quality review and saved filters.
@Suite("Console desk tools", .serialized)
struct ConsoleDeskToolsTests {
    /// Moves a case through the API with its current version (what another person's tab does).
    static func move(_ world: ConsoleWorld, _ id: String, _ body: String) async throws {
        let current = try await world.api.get("/api/incident-ops/cases/\(id)")
        let version = try #require(current.json?[member: "version"]?.intValue)
        let moved = try await world.api.request("POST", "/api/incident-ops/cases/\(id)/transitions", json: body, headers: ["If-Match": "\"\(version)\""])
        #expect(moved.status == 200, "\(moved.text)")
    }

    @Test("the desk report draws its figures as charts, with a table of each, and downloads as CSV")
    func report() async throws {
        try await ConsoleWorld.with { world in
            for n in 1...3 { _ = try await world.openCase(region: "BR-SP", description: "report \(n)") }
            _ = try await world.openCase(region: "BR-RJ", description: "another region")
            world.test.clock.advance(by: 60)  // the report's period ends now: the cases were opened a minute ago
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator, language: "pt-BR")
            let page = try await coordinator.get("/console/incident-ops/reports?region=BR-SP&period=day")
            #expect(page.status == 200)
            #expect(page.html.contains("<dd id=\"report-opened\">3</dd>"), "three cases opened in BR-SP, the one in BR-RJ not counted")
            #expect(page.html.contains("id=\"chart-category-title\"") && page.html.contains("<svg"))
            #expect(page.html.contains("Agressão"), "categories in the viewer's language")
            #expect(!page.html.contains("⟦"), "every text of the page is translated")
            let csv = try await coordinator.get("/console/incident-ops/reports/desk.csv?region=BR-SP&period=day")
            #expect(csv.status == 200)
            #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            #expect(csv.headers["content-disposition"]?.contains("desk-report-BR-SP-day.csv") == true)
            #expect(csv.html.contains("opened,all,3"))
            // An analyst has no report permission: neither page nor download.
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            #expect(try await analyst.get("/console/incident-ops/reports").status == 403)
            #expect(try await analyst.get("/console/incident-ops/reports/desk.csv?region=BR-SP").status == 403)
        }
    }

    @Test("a duplicate is linked and merged from the case page; a case the person may not see is not found")
    func linkAndMerge() async throws {
        try await ConsoleWorld.with { world in
            let original = try await world.openCase(region: "BR-SP", description: "rider hit at the corner")
            let duplicate = try await world.openCase(region: "BR-SP", description: "same accident, second call")
            let elsewhere = try await world.openCase(region: "BR-RJ", description: "Rio")
            let reference = try #require(try await world.api.get("/api/incident-ops/cases/\(original)").json?[member: "reference"]?.text)
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let page = try await coordinator.get("/console/incident-ops/cases/\(duplicate)")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "link-form"))
            // An analyst of São Paulo cannot link to a case of Rio she may not see: not found, no link.
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let analystToken = try #require(
                ConsoleBrowser.hidden("_csrf", in: try await analyst.get("/console/incident-ops/cases/\(duplicate)").html, form: "link-form"))
            let hidden = try await analyst.post(
                "/console/incident-ops/cases/\(duplicate)/link", form: [("_csrf", analystToken), ("kind", "related"), ("case", elsewhere)])
            #expect(hidden.status == 404)
            #expect(try await world.api.get("/api/incident-ops/cases/\(duplicate)/links").json?.items.isEmpty == true)
            let linked = try await coordinator.post(
                "/console/incident-ops/cases/\(duplicate)/link", form: [("_csrf", token), ("kind", "related"), ("case", reference)])
            #expect(linked.status == 303)
            let after = try await coordinator.follow(linked)
            #expect(after.html.contains("id=\"links\""))
            #expect(after.html.contains(">\(reference)</a>"))
            let again = try await coordinator.post(
                "/console/incident-ops/cases/\(duplicate)/link", form: [("_csrf", token), ("kind", "related"), ("case", reference)])
            #expect(try await coordinator.follow(again).html.contains("class=\"flash error\""), "the same link twice is refused")
            let merged = try await coordinator.post("/console/incident-ops/cases/\(duplicate)/merge", form: [("_csrf", token), ("into", reference)])
            let closed = try await coordinator.follow(merged)
            #expect(closed.html.contains("class=\"flash success\""), "\(closed.html.suffix(2000))")
            let status = try await world.api.get("/api/incident-ops/cases/\(duplicate)").json?[member: "status"]?.text
            #expect(status == "closed")
            // Without its CSRF token the merge is refused and writes nothing.
            let third = try await world.openCase(region: "BR-SP", description: "third")
            let forged = try await coordinator.post("/console/incident-ops/cases/\(third)/merge", form: [("into", reference)])
            #expect(forged.status == 403)
            #expect(try await world.api.get("/api/incident-ops/cases/\(third)").json?[member: "status"]?.text == "new")
        }
    }

    @Test("the roster shows the week as a grid; a coordinator puts someone on a shift in the region's time")
    func roster() async throws {
        try await ConsoleWorld.with { world in
            let analyst = try await world.api.request(
                "PUT", "/api/incident-ops/analysts",
                json: #"{"email":"\#(ConsoleWorld.analyst.email)","region":"BR-SP","skills":[],"languages":["pt-BR"],"capacity":5}"#)
            #expect((200..<300).contains(analyst.status), "\(analyst.text)")
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let week = try await coordinator.get("/console/incident-ops/roster?region=BR-SP&week=2026-12-09")
            #expect(week.status == 200)
            #expect(week.html.contains("value=\"2026-12-07\""), "the week starts on its Monday")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: week.html, form: "shift-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: week.html, form: "shift-form"))
            let fields = [
                ("_csrf", token), ("_idem", key), ("region", "BR-SP"), ("_week", "2026-12-07"), ("email", ConsoleWorld.analyst.email),
                ("role", "analyst"), ("startsAt", "2026-12-08T22:00"), ("endsAt", "2026-12-09T06:00"), ("kind", "swap"), ("note", "covering <Bruno>"),
            ]
            let added = try await coordinator.post("/console/incident-ops/roster/shift", form: fields)
            #expect(added.status == 303)
            #expect(added.location == "/console/incident-ops/roster?region=BR-SP&week=2026-12-07")
            let grid = try await coordinator.follow(added)
            #expect(grid.html.contains("class=\"flash success\""), "\(grid.html.suffix(1500))")
            #expect(grid.html.contains(ConsoleWorld.analyst.name))
            #expect(grid.html.contains("data-kind=\"swap\""))
            #expect(grid.html.contains("covering &lt;Bruno&gt;"))
            // 22:00 in São Paulo is 01:00 UTC the next day: the API holds the instant.
            let roster = try await world.api.get("/api/incident-ops/roster?region=BR-SP&from=2026-12-08T00:00:00Z&to=2026-12-10T00:00:00Z")
            #expect(roster.json?.items.first?[member: "startsAt"]?.text.flatMap(ISO8601.parse) == ISO8601.parse("2026-12-09T01:00:00Z"), "\(roster.text)")
            // The same form sent twice adds one shift.
            _ = try await coordinator.post("/console/incident-ops/roster/shift", form: fields)
            #expect(try await world.api.get("/api/incident-ops/roster?region=BR-SP&from=2026-12-08T00:00:00Z&to=2026-12-10T00:00:00Z").json?.items.count == 1)
            // An analyst reads the roster but cannot change it.
            let ana = try await world.signedIn(ConsoleWorld.analyst)
            let seen = try await ana.get("/console/incident-ops/roster?region=BR-SP&week=2026-12-07")
            #expect(seen.status == 200 && !seen.html.contains("id=\"shift-form\""))
            #expect(try await ana.post("/console/incident-ops/roster/shift", form: fields).status == 403)
        }
    }

    @Test("the runbook editor publishes a new version that new cases follow; a step without a deadline is refused")
    func runbook() async throws {
        try await ConsoleWorld.with { world in
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let list = try await coordinator.get("/console/incident-ops/sops")
            #expect(list.status == 200 && list.html.contains("/console/incident-ops/sops/assault"))
            let editor = try await coordinator.get("/console/incident-ops/sops/assault")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: editor.html, form: "sop-form"))
            let rows = try #require(ConsoleBrowser.hidden("_rows", in: editor.html, form: "sop-form"))
            let missing = try await coordinator.post(
                "/console/incident-ops/sops/assault",
                form: [("_csrf", token), ("_rows", rows), ("title", "Assault runbook"), ("title-0", "Call the rider"), ("deadline-0", "")])
            #expect(try await coordinator.follow(missing).html.contains("class=\"flash error\""))
            let before = try await world.api.get("/api/incident-ops/sops?category=assault").json?.items.count ?? 0
            let published = try await coordinator.post(
                "/console/incident-ops/sops/assault",
                form: [
                    ("_csrf", token), ("_idem", "sop-form-1"), ("_rows", rows), ("title", "Assault runbook"),
                    ("title-0", "Call the rider back"), ("deadline-0", "15"), ("mandatory-0", "false"), ("mandatory-0", "true"),
                    ("title-1", "Notify the <b>police</b>"), ("deadline-1", "60"), ("mandatory-1", "false"), ("severity-1", "S2"),
                ])
            #expect(published.status == 303)
            let page = try await coordinator.follow(published)
            #expect(page.html.contains("class=\"flash success\""), "\(page.html.suffix(1500))")
            #expect(page.html.contains("Notify the &lt;b&gt;police&lt;/b&gt;"))
            let versions = try await world.api.get("/api/incident-ops/sops?category=assault").json?.items ?? []
            #expect(versions.count == before + 1)
            let newest = try #require(versions.max { ($0[member: "version"]?.intValue ?? 0) < ($1[member: "version"]?.intValue ?? 0) })
            #expect(newest[member: "steps"]?.items.map { $0[member: "key"]?.text } == ["call-the-rider-back", "notify-the-b-police-b"])
            #expect(newest[member: "steps"]?.items.first?[member: "mandatory"] == .bool(true))
            // A case opened now follows it (the helper opens S3 assaults, below the second step's S2).
            let id = try await world.openCase(region: "BR-SP", description: "after the new runbook")
            let steps = try await world.api.get("/api/incident-ops/cases/\(id)/checklist").json?.items.compactMap { $0[member: "key"]?.text }
            #expect(steps == ["call-the-rider-back"], "the S2-and-above step does not apply to an S3 case")
            // An analyst reads runbooks but does not edit them.
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            #expect(!(try await analyst.get("/console/incident-ops/sops/assault").html.contains("id=\"sop-form\"")))
        }
    }

    @Test("quality review: the week's sample is drawn, a case scored on the scorecard, the analyst's mean shown")
    func qualityReview() async throws {
        try await ConsoleWorld.with { world in
            let queue = try await world.api.post("/api/incident-ops/queues", #"{"region":"BR-SP","name":"All","strategy":"least-loaded"}"#)
            #expect(queue.status == 201)
            let analyst = try await world.api.request(
                "PUT", "/api/incident-ops/analysts",
                json: #"{"email":"\#(ConsoleWorld.analyst.email)","region":"BR-SP","skills":[],"languages":["pt-BR"],"capacity":20}"#)
            #expect((200..<300).contains(analyst.status))
            for n in 1...2 {
                let id = try await world.openCase(region: "BR-SP", description: "closed \(n)")
                try await Self.move(world, id, #"{"to":"resolved","resolutionCode":"resolved"}"#)
                try await Self.move(world, id, #"{"to":"closed"}"#)
            }
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let empty = try await coordinator.get("/console/incident-ops/qa?region=BR-SP")
            #expect(empty.html.contains("id=\"qa-empty\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: empty.html, form: "qa-sample-form"))
            let week = try #require(ConsoleBrowser.hidden("_week", in: empty.html, form: "qa-sample-form"))
            let sampled = try await coordinator.post(
                "/console/incident-ops/qa/sample", form: [("_csrf", token), ("region", "BR-SP"), ("_week", week), ("perAnalyst", "3")])
            let page = try await coordinator.follow(sampled)
            #expect(page.html.components(separatedBy: "class=\"scorecard\"").count == 3, "two closed cases, two scorecards")
            let review = try #require(page.html.components(separatedBy: "action=\"/console/incident-ops/qa/reviews/").dropFirst().first?.prefix(36))
            let scored = try await coordinator.post(
                "/console/incident-ops/qa/reviews/\(review)",
                form: [
                    ("_csrf", token), ("region", "BR-SP"), ("_week", week), ("scores.sop-followed", "5"), ("scores.communication", "4"),
                    ("scores.documentation", "3"), ("scores.resolution-quality", "4"), ("comment", "Clear <notes>"),
                ])
            let after = try await coordinator.follow(scored)
            #expect(after.html.contains("class=\"flash success\""), "\(after.html.suffix(1500))")
            #expect(after.html.contains("Clear &lt;notes&gt;"))
            #expect(after.html.contains("<td class=\"num\">80</td>"), "the mean of the one scored review, 0–100")
            #expect(after.html.components(separatedBy: "class=\"scorecard\"").count == 2, "one review left to score")
        }
    }

    @Test("saved filters are a person's own: saved from a list, listed there, removed; nobody else sees or removes them")
    func savedFilters() async throws {
        try await ConsoleWorld.with { world in
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let list = try await coordinator.get("/console/incident-ops/cases?severity=S1&region=BR-SP&cursor=abc")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: list.html, form: "save-filter-form"))
            let query = try #require(ConsoleBrowser.hidden("query", in: list.html, form: "save-filter-form"))
            #expect(query == "severity=S1&amp;region=BR-SP" || query == "severity=S1&region=BR-SP", "the place in the list is not saved")
            let saved = try await coordinator.post(
                "/console/saved-filters",
                form: [("_csrf", token), ("page", "/console/incident-ops/cases"), ("query", "severity=S1&region=BR-SP"), ("name", "S1 <SP>")])
            #expect(saved.status == 303)
            let page = try await coordinator.follow(saved)
            #expect(page.html.contains("S1 &lt;SP&gt;"))
            #expect(page.html.contains("href=\"/console/incident-ops/cases?severity=S1&amp;region=BR-SP\""))
            #expect(try await world.test.count("vigil_saved_filters") == 1)
            // Another person neither sees it nor removes it.
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            #expect(!(try await analyst.get("/console/incident-ops/cases").html.contains("S1 &lt;SP&gt;")))
            let id = try #require(page.html.components(separatedBy: "action=\"/console/saved-filters/").dropFirst().first?.prefix(36))
            let analystToken = try #require(ConsoleBrowser.hidden("_csrf", in: try await analyst.get("/console/incident-ops/cases").html, form: nil))
            #expect(try await analyst.post("/console/saved-filters/\(id)/delete", form: [("_csrf", analystToken)]).status == 404)
            // A page outside the console is not saved.
            let outside = try await coordinator.post(
                "/console/saved-filters", form: [("_csrf", token), ("page", "https://evil.example/"), ("query", "a=b"), ("name", "x")])
            #expect(outside.location == "/console")
            #expect(try await world.test.count("vigil_saved_filters") == 1)
            let removed = try await coordinator.post("/console/saved-filters/\(id)/delete", form: [("_csrf", token)])
            #expect(removed.location == "/console/incident-ops/cases")
            #expect(try await world.test.count("vigil_saved_filters") == 0)
        }
    }
}
