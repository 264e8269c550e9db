import Foundation
import ITServiceDesk
import IncidentOps
import JSONCoding
import Kernel
import Testing
import VigilTesting

/// The IT desk's pages: a ticket raised from the form, worked from its page, leaving the queue;
/// an asset checked out and in from its page, with its depreciation schedule in the viewer's money.
@Suite("Console IT service desk", .serialized)
struct ConsoleITServiceDeskTests {
    static let domains: [any DomainModule.Type] = [IncidentOpsModule.self, ITServiceDeskModule.self]

    static func seed(_ world: ConsoleWorld) async throws {
        let it = "/api/it-service-desk"
        for (method, path, body) in [
            ("POST", "\(it)/sites", #"{"code":"SP-HQ","name":"Head office","country":"BR","region":"BR-SP","timeZone":"America/Sao_Paulo","currency":"BRL"}"#),
            ("POST", "\(it)/sites/SP-HQ/cost-centers", #"{"code":"CC-IT","name":"IT"}"#),
            (
                "POST", "\(it)/asset-models",
                #"{"name":"ThinkPad","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":500000,"currency":"BRL"}"#
            ),
            (
                "POST", "\(it)/assets",
                #"{"tag":"AS-0001","model":"ThinkPad","site":"SP-HQ","costCenter":"CC-IT","purchaseDate":"2026-01-10","cost":450000,"currency":"BRL"}"#
            ),
        ] {
            let response = try await world.api.request(method, path, json: body)
            guard (200..<300).contains(response.status) else { throw VigilError(.internal, "\(path): \(response.status) \(response.text)") }
        }
    }

    @Test("a ticket raised from the form is worked from its page and leaves the open queue")
    func ticketFlow() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await Self.seed(world)
            let admin = try await world.signedIn(ConsoleWorld.admin, language: "pt-BR")
            let form = try await admin.get("/console/it-service-desk/tickets/new")
            #expect(form.status == 200)
            #expect(form.html.contains("value=\"SP-HQ\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html, form: "ticket-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: form.html, form: "ticket-form"))
            let fields = [
                ("_csrf", token), ("_idem", key), ("type", "incident"), ("category", "hardware"), ("title", "Notebook não liga"),
                ("description", "Tela preta <b>"), ("site", "SP-HQ"), ("impact", "3"), ("urgency", "2"),
            ]
            let opened = try await admin.post("/console/it-service-desk/tickets/new", form: fields)
            #expect(opened.status == 303)
            #expect(try await admin.post("/console/it-service-desk/tickets/new", form: fields).location == opened.location)
            var page = try await admin.follow(opened)
            #expect(page.html.contains("Tela preta &lt;b&gt;"))
            #expect(page.html.contains("data-clock=\"own\""))
            #expect(!page.html.contains("⟦"))
            let path = try #require(opened.location)
            for (status, note) in [("in-progress", ""), ("resolved", "Cabo trocado")] {
                let version = try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "transition-form"))
                let moved = try await admin.post(
                    path + "/transition", form: [("_csrf", token), ("_version", version), ("_region", "BR-SP"), ("status", status), ("note", note)])
                #expect(moved.status == 303)
                page = try await admin.follow(moved)
                #expect(page.html.contains("data-status=\"\(status)\""), "moving to \(status)")
            }
            let id = String(path.split(separator: "/").last ?? "")
            #expect(!(try await admin.get("/console/it-service-desk/tickets").html.contains(id)))
            #expect(try await admin.get("/console/it-service-desk/tickets?status=resolved").html.contains(id))
            #expect(try await world.test.count("it_tickets") == 1)
        }
    }

    @Test("an asset is checked out and in from its page; its schedule is in the viewer's money")
    func assetFlow() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await Self.seed(world)
            let admin = try await world.signedIn(ConsoleWorld.admin, language: "pt-BR")
            let list = try await admin.get("/console/it-service-desk/assets?site=SP-HQ")
            #expect(list.html.contains("AS-0001"))
            #expect(list.html.contains("R$"))
            var page = try await admin.get("/console/it-service-desk/assets/AS-0001")
            #expect(page.status == 200)
            #expect(page.html.contains("4.500,00"), "the cost in pt-BR money")
            #expect(page.html.contains("id=\"schedule\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "check-out-form"))
            let version = try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "check-out-form"))
            let out = try await admin.post(
                "/console/it-service-desk/assets/AS-0001/check-out", form: [("_csrf", token), ("_version", version), ("to", "ana@console.test")])
            page = try await admin.follow(out)
            #expect(page.html.contains("data-status=\"deployed\""))
            #expect(page.html.contains("ana@console.test"))
            let back = try await admin.post(
                "/console/it-service-desk/assets/AS-0001/check-in",
                form: [("_csrf", token), ("_version", try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "check-in-form")))])
            #expect(try await admin.follow(back).html.contains("data-status=\"in-stock\""))
            // A stale form is refused, not applied.
            let stale = try await admin.post(
                "/console/it-service-desk/assets/AS-0001/check-out", form: [("_csrf", token), ("_version", version), ("to", "x@y.z")])
            #expect(try await admin.follow(stale).html.contains("class=\"flash error\""))
        }
    }

    @Test("only the page a person is on is marked in the menu, and both desks are in it")
    func menu() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            let admin = try await world.signedIn(ConsoleWorld.admin)
            let id = try await world.openCase(region: "BR-SP", description: "menu")
            for path in ["/console/incident-ops/cases/\(id)", "/console/incident-ops/cases/new", "/console/incident-ops", "/console/it-service-desk/tickets"] {
                let page = try await admin.get(path)
                #expect(page.html.components(separatedBy: "aria-current=\"page\"").count == 2, "\(path) marks more than one entry")
            }
            let page = try await admin.get("/console/incident-ops")
            #expect(page.html.contains("id=\"nav-it-service-desk-tickets\""))
            #expect(page.html.contains("id=\"nav-users\""))
        }
    }
}
