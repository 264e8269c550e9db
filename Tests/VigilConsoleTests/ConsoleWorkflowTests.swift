import Foundation
import Kernel
import Testing
import VigilTesting

/// A coordinator's work through the console's forms: the same services as the API, so a form
/// sent twice acts once, a stale form is refused with who changed the record, and bad input
/// comes back to the form with its fields marked.
@Suite("Console workflow", .serialized)
struct ConsoleWorkflowTests {
    static let caseFields = [("region", "BR-SP"), ("businessLine", "drivers"), ("category", "robbery"), ("severity", "S2")]

    @Test("a new-case form sent twice opens one case, and its page says so")
    func doubleSubmitOpensOne() async throws {
        try await ConsoleWorld.with { world in
            let browser = try await world.signedIn(ConsoleWorld.coordinator)
            let form = try await browser.get("/console/incident-ops/cases/new")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html, form: "case-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: form.html, form: "case-form"))
            let fields = [("_csrf", token), ("_idem", key), ("description", "phone stolen at the pickup point")] + Self.caseFields
            let first = try await browser.post("/console/incident-ops/cases/new", form: fields)
            let second = try await browser.post("/console/incident-ops/cases/new", form: fields)
            #expect(first.status == 303)
            #expect(second.status == 303)
            #expect(first.location == second.location)
            #expect(try await world.test.count("incident_cases") == 1)
            let page = try await browser.follow(first)
            #expect(page.status == 200)
            #expect(page.html.contains("class=\"flash success\""))
            #expect(page.html.contains("phone stolen at the pickup point"))
            // A new rendering of the form is a new key: a second report is a second case.
            let again = try await browser.get("/console/incident-ops/cases/new")
            #expect(ConsoleBrowser.hidden("_idem", in: again.html, form: "case-form") != key)
        }
    }

    @Test("a form with bad fields comes back with them marked, what was typed kept, nothing written")
    func invalidFormReturns() async throws {
        try await ConsoleWorld.with { world in
            let browser = try await world.signedIn(ConsoleWorld.coordinator, language: "pt-BR")
            let form = try await browser.get("/console/incident-ops/cases/new")
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html))
            let answer = try await browser.post(
                "/console/incident-ops/cases/new",
                form: [("_csrf", token), ("region", "BR-SP"), ("severity", "S9"), ("description", "kept <b>text</b>")])
            #expect(answer.status == 422)
            #expect(answer.html.contains("aria-invalid=\"true\""))
            #expect(answer.html.contains("kept &lt;b&gt;text&lt;/b&gt;"))
            #expect(answer.html.contains("<html lang=\"pt-BR\">"))
            #expect(try await world.test.count("incident_cases") == 0)
        }
    }

    @Test("a case is triaged and resolved from its page, and leaves the open queue")
    func transitionsFromThePage() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "rider hit by a car")
            let browser = try await world.signedIn(ConsoleWorld.coordinator)
            var page = try await browser.get("/console/incident-ops/cases/\(id)")
            for (to, extra) in [("triaged", [(String, String)]()), ("resolved", [("resolutionCode", "resolved"), ("note", "rider is fine")])] {
                let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "transition-form"))
                let version = try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "transition-form"))
                let answer = try await browser.post(
                    "/console/incident-ops/cases/\(id)/transition", form: [("_csrf", token), ("_version", version), ("to", to)] + extra)
                #expect(answer.status == 303)
                page = try await browser.follow(answer)
                #expect(page.html.contains("class=\"flash success\""), "moving to \(to): \(page.html.prefix(200))")
                #expect(page.html.contains("data-status=\"\(to)\""))
            }
            let queue = try await browser.get("/console/incident-ops/cases")
            #expect(!queue.html.contains(id))
            let resolved = try await browser.get("/console/incident-ops/cases?status=resolved")
            #expect(resolved.html.contains(id))
        }
    }

    @Test("a stale form is refused with who changed the case and when, and nothing is overwritten")
    func staleFormRefused() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "courier threatened")
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let stale = try await analyst.get("/console/incident-ops/cases/\(id)")
            let staleToken = try #require(ConsoleBrowser.hidden("_csrf", in: stale.html, form: "transition-form"))
            let staleVersion = try #require(ConsoleBrowser.hidden("_version", in: stale.html, form: "transition-form"))

            let fresh = try await coordinator.get("/console/incident-ops/cases/\(id)")
            let moved = try await coordinator.post(
                "/console/incident-ops/cases/\(id)/transition",
                form: [
                    ("_csrf", try #require(ConsoleBrowser.hidden("_csrf", in: fresh.html, form: "transition-form"))),
                    ("_version", try #require(ConsoleBrowser.hidden("_version", in: fresh.html, form: "transition-form"))), ("to", "escalated"),
                ])
            #expect(moved.status == 303)

            let refused = try await analyst.post(
                "/console/incident-ops/cases/\(id)/transition",
                form: [
                    ("_csrf", staleToken), ("_version", staleVersion), ("to", "triaged"),
                    ("_region", try #require(ConsoleBrowser.hidden("_region", in: stale.html, form: "transition-form"))),
                ])
            #expect(refused.status == 303)
            let page = try await analyst.follow(refused)
            #expect(page.html.contains("class=\"flash error\""))
            #expect(page.html.contains(ConsoleWorld.coordinator.email))
            #expect(page.html.contains("data-status=\"escalated\""))
            // The change's time reads as the timeline shows it (the case's region's clock), not in UTC.
            let times = page.html.components(separatedBy: "<span class=\"when\">").dropFirst().map { $0.components(separatedBy: " · ").first ?? "" }
            let changedAt = try #require(times.last)
            let flash = try #require(page.html.components(separatedBy: "class=\"flash error\"").dropFirst().first?.components(separatedBy: "</div>").first)
            #expect(flash.contains(changedAt), "the refusal says \(flash), the timeline \(changedAt)")
        }
    }

    @Test("every page speaks the viewer's language, with no text missing")
    func languages() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "language check")
            let expected = ["zh-CN": "案件", "pt-BR": "Caso", "en": "Case"]
            for (language, word) in expected {
                let browser = try await world.signedIn(ConsoleWorld.coordinator, language: language)
                for path in ["/console/incident-ops/cases", "/console/incident-ops/cases/new", "/console/incident-ops/cases/\(id)", "/console/preferences"] {
                    let page = try await browser.get(path)
                    #expect(page.status == 200, "\(language) \(path)")
                    #expect(page.html.contains("<html lang=\"\(language)\">"), "\(language) \(path)")
                    #expect(!page.html.contains("⟦"), "\(language) \(path) lacks a text: \(Self.missing(in: page.html))")
                }
                #expect(try await browser.get("/console/incident-ops/cases/\(id)").html.contains(word))
            }
        }
    }

    @Test("a preference for English outweighs the browser's language")
    func preferenceChangesLanguage() async throws {
        try await ConsoleWorld.with { world in
            let browser = try await world.signedIn(ConsoleWorld.analyst, language: "zh-CN")
            let form = try await browser.get("/console/preferences")
            #expect(form.html.contains("<html lang=\"zh-CN\">"))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html, form: "preferences-form"))
            let saved = try await browser.post(
                "/console/preferences", form: [("_csrf", token), ("language", "en"), ("timeZone", "America/Sao_Paulo"), ("keyboardShortcuts", "false")])
            #expect(saved.status == 303)
            let page = try await browser.follow(saved)
            #expect(page.html.contains("<html lang=\"en\">"))
            #expect(page.html.contains("data-shortcuts=\"off\""))
        }
    }

    static func missing(in html: String) -> [String] {
        var keys: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "⟦"), let end = rest[start.upperBound...].range(of: "⟧") {
            keys.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return keys
    }
}

extension ConsoleWorkflowTests {
    @Test("the case page works the SOP checklist: a step done, another waived with a reason, a short reason refused")
    func checklist() async throws {
        try await ConsoleWorld.with { world in
            let sop = try await world.api.post(
                "/api/incident-ops/sops",
                #"{"category":"assault","title":"Assault","steps":[{"key":"call-rider","title":"Call the rider","mandatory":true,"deadlineMinutes":15},{"key":"police","title":"Offer police report","mandatory":false,"deadlineMinutes":60}]}"#
            )
            #expect(sop.status == 201, "\(sop.text)")
            let id = try await world.openCase(region: "BR-SP", description: "checklist")
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            var page = try await coordinator.get("/console/incident-ops/cases/\(id)")
            #expect(page.html.contains("data-step=\"call-rider\" data-open=\"yes\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html))
            let done = try await coordinator.post("/console/incident-ops/cases/\(id)/checklist/call-rider/done", form: [("_csrf", token)])
            #expect(done.status == 303)
            let short = try await coordinator.post("/console/incident-ops/cases/\(id)/checklist/police/waive", form: [("_csrf", token), ("reason", "no")])
            #expect(try await coordinator.follow(short).html.contains("class=\"flash error\""))
            let waived = try await coordinator.post(
                "/console/incident-ops/cases/\(id)/checklist/police/waive", form: [("_csrf", token), ("reason", "rider declined a report")])
            page = try await coordinator.follow(waived)
            #expect(page.html.contains("data-step=\"call-rider\" data-open=\"no\""))
            #expect(page.html.contains("data-step=\"police\" data-open=\"no\""))
            #expect(page.html.contains("rider declined a report"))
        }
    }
}

extension ConsoleWorkflowTests {
    @Test("a coordinator generates a handover with notes; the next one reads and acknowledges it")
    func handover() async throws {
        try await ConsoleWorld.with { world in
            _ = try await world.openCase(region: "BR-SP", description: "to hand over")
            let outgoing = try await world.signedIn(ConsoleWorld.coordinator, language: "zh-CN")
            // The dashboard's handover card: what the latest handover of the region is waiting for.
            func handoverCard(_ browser: ConsoleBrowser) async throws -> String? {
                let dashboard = try await browser.get("/console/incident-ops?region=BR-SP")
                return dashboard.html.components(separatedBy: "id=\"dash-handover\"").dropFirst().first?.components(separatedBy: "</section>").first
            }
            #expect(try await handoverCard(outgoing)?.contains("该地区还没有交接记录") == true, "no handover yet, said in Chinese")
            let list = try await outgoing.get("/console/incident-ops/handovers?region=BR-SP")
            #expect(list.status == 200)
            #expect(list.html.contains("id=\"no-handovers\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: list.html, form: "handover-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: list.html, form: "handover-form"))
            let form = [("_csrf", token), ("_idem", key), ("region", "BR-SP"), ("notes", "Watch <INC-1>: rider in hospital")]
            let made = try await outgoing.post("/console/incident-ops/handovers/new", form: form)
            #expect(made.status == 303)
            #expect(try await outgoing.post("/console/incident-ops/handovers/new", form: form).location == made.location)
            let page = try await outgoing.follow(made)
            #expect(page.status == 200)
            #expect(page.html.contains("Watch &lt;INC-1&gt;: rider in hospital"))
            #expect(!page.html.contains("⟦"))
            #expect(!page.html.contains("id=\"acknowledge-form\""), "its author is offered to acknowledge their own handover")
            let waiting = try #require(try await handoverCard(outgoing))
            #expect(waiting.contains("href=\"\(made.location ?? "-")\"") && waiting.contains("等待下一位协调员"), "\(waiting)")
            let incoming = try await world.signedIn(ConsoleWorld.admin)
            let read = try await incoming.get(try #require(made.location))
            let ack = try #require(ConsoleBrowser.hidden("_csrf", in: read.html, form: "acknowledge-form"))
            let done = try await incoming.post((made.location ?? "") + "/acknowledge", form: [("_csrf", ack)])
            let after = try await incoming.follow(done)
            #expect(after.html.contains("class=\"flash success\""))
            #expect(!after.html.contains("id=\"acknowledge-form\""))
            #expect(after.html.contains(ConsoleWorld.admin.email))
            let acknowledged = try #require(try await handoverCard(outgoing))
            #expect(acknowledged.contains(ConsoleWorld.admin.email) && !acknowledged.contains("等待下一位协调员"), "\(acknowledged)")
            // Someone who may not read handovers sees no card (and the dashboard asks for none).
            let analyst = try await world.signedIn(ConsoleWorld.analyst)
            let theirs = try await analyst.get("/console/incident-ops?region=BR-SP")
            #expect(theirs.status == 200 && !theirs.html.contains("id=\"dash-handover\""))
        }
    }

    @Test("an escalation on the dashboard says when it climbs a level, even without JavaScript")
    func escalationNextLevelWithoutScript() async throws {
        try await ConsoleWorld.with { world in
            // Raised by hand, level 1 of 2: it says when it climbs to the next.
            let id = try await world.openCase(region: "BR-SP", description: "needs a specialist")
            let raised = try await world.api.post(
                "/api/incident-ops/cases/\(id)/transitions", #"{"to":"escalated","note":"rider unreachable"}"#, headers: ["If-Match": "\"1\""])
            #expect(raised.status == 200, "\(raised.text)")
            let coordinator = try await world.signedIn(ConsoleWorld.coordinator)
            let html = try await coordinator.get("/console/incident-ops?region=BR-SP").html
            let list = try #require(html.components(separatedBy: "id=\"escalation-list\"").dropFirst().first?.components(separatedBy: "</ul>").first)
            let times = list.matches(of: #/<time data-deadline="[^"]+" datetime="[^"]+">([^<]*)</time>/#).map { String($0.1) }
            #expect(!times.isEmpty && times.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(list)")
        }
    }
}

extension ConsoleWorkflowTests {
    @Test("an analyst takes the case at the top of their queue, soonest deadline first")
    func queueClaim() async throws {
        try await ConsoleWorld.with { world in
            let queue = try await world.api.post("/api/incident-ops/queues", #"{"region":"BR-SP","name":"Street desk","strategy":"round-robin"}"#)
            #expect(queue.status == 201, "\(queue.text)")
            // Opened before any analyst exists, the case waits in the queue for someone to take it.
            let id = try await world.openCase(region: "BR-SP", description: "queued")
            let analyst = try await world.api.request(
                "PUT", "/api/incident-ops/analysts",
                json: #"{"email":"\#(ConsoleWorld.analyst.email)","region":"BR-SP","skills":[],"languages":["pt-BR"],"capacity":5}"#)
            #expect((200..<300).contains(analyst.status), "\(analyst.text)")
            let browser = try await world.signedIn(ConsoleWorld.analyst)
            let queues = try await browser.get("/console/incident-ops/queues")
            #expect(queues.html.contains("Street desk"))
            let queueID = try #require(queue.json?[member: "id"]?.text)
            let page = try await browser.get("/console/incident-ops/queues/\(queueID)")
            #expect(page.status == 200)
            #expect(page.html.contains("data-case-id=\"\(id)\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: nil))
            let row = try #require(page.html.components(separatedBy: "data-case-id=\"\(id)\"").dropFirst().first)
            let version = try #require(ConsoleBrowser.hidden("_version", in: row))
            let claimed = try await browser.post("/console/incident-ops/queues/\(queueID)/claim/\(id)", form: [("_csrf", token), ("_version", version)])
            #expect(claimed.status == 303, "\(claimed.status) \(claimed.html.prefix(2000))")
            let after = try await browser.follow(claimed)
            #expect(after.html.contains("class=\"flash success\""), "\(after.html.suffix(3000))")
            let incident = try await world.api.get("/api/incident-ops/cases/\(id)")
            let ana = try #require(try await world.test.runtime.users.find(email: ConsoleWorld.analyst.email))
            #expect(incident.json?[member: "assignee"]?.text == ana.id.lowercased, "\(incident.text)")
        }
    }
}

extension ConsoleWorkflowTests {
    @Test("a long timeline shows its latest entries, not only its first page")
    func longTimeline() async throws {
        try await ConsoleWorld.with { world in
            let id = try await world.openCase(region: "BR-SP", description: "long story")
            for n in 1...230 {
                let note = try await world.api.post("/api/incident-ops/cases/\(id)/notes", #"{"text":"note number \#(n) end"}"#)
                #expect(note.status == 201)
            }
            let browser = try await world.signedIn(ConsoleWorld.coordinator)
            let page = try await browser.get("/console/incident-ops/cases/\(id)")
            #expect(page.html.contains("note number 230 end"))
            #expect(page.html.contains("note number 31 end"))
            #expect(!page.html.contains("note number 30 end"), "the page keeps the newest 200 entries")
        }
    }
}
