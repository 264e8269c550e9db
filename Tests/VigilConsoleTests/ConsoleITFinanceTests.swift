import Foundation
import ITServiceDesk
import IncidentOps
import JSONCoding
import Kernel
import Testing
import VigilTesting

/// The IT desk's other pages: "my tickets" for people who raise tickets without working the desk,
/// contracts with their notice deadlines, and the budget against actual with the forecast.
@Suite("Console IT finance and requesters", .serialized)
struct ConsoleITFinanceTests {
    static let domains: [any DomainModule.Type] = [IncidentOpsModule.self, ITServiceDeskModule.self]

    @Test("someone who raises tickets without working the desk follows their own, and only theirs")
    func myTickets() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await ConsoleITServiceDeskTests.seed(world)
            let other = try await world.api.post(
                "/api/it-service-desk/tickets",
                #"{"type":"request","category":"access","title":"Someone else's","description":"x","site":"SP-HQ","impact":3,"urgency":3}"#)
            #expect(other.status == 201, "\(other.text)")
            let ana = try await world.signedIn(ConsoleWorld.analyst, language: "pt-BR")
            let home = try await ana.get("/console/it-service-desk/my-tickets")
            #expect(home.status == 200)
            #expect(home.html.contains("id=\"no-my-tickets\""))
            #expect(try await ana.get("/console/it-service-desk/tickets").status == 403, "the desk's queue is not hers to read")
            let form = try await ana.get("/console/it-service-desk/tickets/new")
            let fields = [
                ("_csrf", try #require(ConsoleBrowser.hidden("_csrf", in: form.html, form: "ticket-form"))),
                ("_idem", try #require(ConsoleBrowser.hidden("_idem", in: form.html, form: "ticket-form"))), ("type", "incident"),
                ("category", "hardware"), ("title", "Meu notebook"), ("description", "Não liga"), ("site", "SP-HQ"), ("impact", "3"), ("urgency", "3"),
            ]
            let opened = try await ana.post("/console/it-service-desk/tickets/new", form: fields)
            #expect(opened.status == 303)
            let ticket = try await ana.follow(opened)
            #expect(ticket.status == 200, "a requester reads her own ticket's page")
            let mine = try await ana.get("/console/it-service-desk/my-tickets")
            #expect(mine.html.contains("Meu notebook"))
            #expect(!mine.html.contains("Someone else's"))
            #expect(try await ana.get("/console/it-service-desk/my-tickets?state=done").html.contains("id=\"no-my-tickets\""))
            let menu = try await ana.get("/console/it-service-desk/my-tickets")
            #expect(menu.html.contains("id=\"nav-it-service-desk-my-tickets\""))
            #expect(!menu.html.contains("id=\"nav-it-service-desk-tickets\""))
            // The API answers the same list.
            let api = try await world.api.get("/api/it-service-desk/tickets/mine")
            #expect(api.status == 200)
            #expect(api.json?[member: "items"]?.items.map { $0[member: "title"]?.text } == ["Someone else's"], "the admin's own ticket only")
        }
    }

    @Test("a contract is recorded with its amount typed as money; its notice deadline is listed, then notice is given")
    func contracts() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await ConsoleITServiceDeskTests.seed(world)
            let admin = try await world.signedIn(ConsoleWorld.admin, language: "pt-BR")
            let list = try await admin.get("/console/it-service-desk/contracts")
            #expect(list.status == 200)
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: list.html, form: "contract-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: list.html, form: "contract-form"))
            var fields = [
                ("_csrf", token), ("_idem", key), ("vendor", "Vivo <Empresas>"), ("type", "network-link-lease"), ("title", "Link 1 Gbps"),
                ("site", "SP-HQ"), ("costCenter", "CC-IT"), ("start", "2026-01-01"), ("initialTermMonths", "12"), ("renewalTermMonths", "12"),
                ("noticeDays", "60"), ("tacitRenewal", "false"), ("tacitRenewal", "true"), ("billingPeriodMonths", "1"),
                ("billingAmountText", "1.250,00"), ("currency", "BRL"), ("alertDays", "30"),
            ]
            var wrong = fields
            wrong[wrong.firstIndex { $0.0 == "billingAmountText" }!] = ("billingAmountText", "mil reais")
            let refused = try await admin.post("/console/it-service-desk/contracts/new", form: wrong)
            #expect(refused.status == 422)
            #expect(refused.html.contains("value=\"mil reais\""), "the form comes back as typed")
            #expect(try await world.test.count("it_contracts") == 0)
            let created = try await admin.post("/console/it-service-desk/contracts/new", form: fields)
            #expect(created.status == 303)
            #expect(try await admin.post("/console/it-service-desk/contracts/new", form: fields).location == created.location, "sent twice, recorded once")
            #expect(try await world.test.count("it_contracts") == 1)
            var page = try await admin.follow(created)
            #expect(page.html.contains("Vivo &lt;Empresas&gt;"))
            #expect(page.html.contains("1.250,00"), "the amount in pt-BR money")
            #expect(page.html.contains("id=\"contract-deadline\""))
            let all = try await admin.get("/console/it-service-desk/contracts?within=all")
            #expect(all.html.contains("Link 1 Gbps"))
            let version = try #require(ConsoleBrowser.hidden("_version", in: page.html, form: "terminate-form"))
            let path = try #require(created.location)
            let noticed = try await admin.post(path + "/terminate", form: [("_csrf", token), ("_version", version), ("noticeGivenOn", "")])
            page = try await admin.follow(noticed)
            #expect(page.html.contains("class=\"flash success\""), "\(page.html.suffix(1500))")
            #expect(page.html.contains("id=\"contract-notice-given\""))
            #expect(!page.html.contains("id=\"terminate-form\""))
            fields[0] = ("_csrf", "forged")
            #expect(try await admin.post("/console/it-service-desk/contracts/new", form: fields).status == 403)
            // Contracts are the IT manager's: an agent of the desk neither reads nor records them.
            let ana = try await world.signedIn(ConsoleWorld.analyst)
            #expect(try await ana.get("/console/it-service-desk/contracts").status == 403)
        }
    }

    @Test("the budget page draws budget against actual and the forecast, in the viewer's money")
    func budget() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await ConsoleITServiceDeskTests.seed(world)
            let year = Calendar(identifier: .gregorian).component(.year, from: world.test.clock.now())
            let line = try await world.api.request(
                "PUT", "/api/it-service-desk/budgets/\(year)/CC-IT/capex/hardware", json: #"{"amount":10000000,"currency":"BRL"}"#)
            #expect((200..<300).contains(line.status), "\(line.text)")
            let spent = try await world.api.post(
                "/api/it-service-desk/expenses",
                #"{"spentOn":"\#(year)-01-15","costCenter":"CC-IT","kind":"capex","category":"hardware","amount":8500000,"currency":"BRL","description":"Notebooks"}"#
            )
            #expect(spent.status == 201, "\(spent.text)")
            let admin = try await world.signedIn(ConsoleWorld.admin, language: "pt-BR")
            let page = try await admin.get("/console/it-service-desk/budget?fiscalYear=\(year)")
            #expect(page.status == 200)
            #expect(page.html.contains("id=\"chart-budget-title\"") && page.html.contains("<svg"))
            #expect(page.html.contains("100.000,00") && page.html.contains("85.000,00"), "budget and actual in pt-BR money")
            #expect(page.html.contains("80%"), "the 80% alert crossed")
            #expect(!page.html.contains("⟦"))
            let unknown = try await admin.get("/console/it-service-desk/budget?fiscalYear=\(year)&site=NOWHERE")
            #expect(unknown.status == 422)
            // The budget kept from the page: a line, then an expense and a credit, typed as money.
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: page.html, form: "budget-line-form"))
            let lineSet = try await admin.post(
                "/console/it-service-desk/budget/line",
                form: [
                    ("_csrf", token), ("fiscalYear", String(year)), ("costCenter", "CC-IT"), ("kind", "opex"), ("category", "software"),
                    ("amountText", "12.000,00"), ("currency", "BRL"),
                ])
            #expect(try await admin.follow(lineSet).html.contains("class=\"flash success\""))
            for (amount, key) in [("2.500,00", "expense-1"), ("-500,00", "expense-2"), ("-500,00", "expense-2")] {
                let spent = try await admin.post(
                    "/console/it-service-desk/budget/expense",
                    form: [
                        ("_csrf", token), ("_idem", key), ("spentOn", "\(year)-02-10"), ("costCenter", "CC-IT"), ("kind", "opex"),
                        ("category", "software"), ("amountText", amount), ("currency", "BRL"), ("description", "Licences"),
                    ])
                #expect(try await admin.follow(spent).html.contains("class=\"flash success\""))
            }
            let kept = try await admin.get("/console/it-service-desk/budget?fiscalYear=\(year)")
            #expect(
                kept.html.contains("12.000,00") && kept.html.contains("2.000,00"), "the line, and 2,500 spent less a 500 credit (sent twice, recorded once)")
            let bad = try await admin.post(
                "/console/it-service-desk/budget/line",
                form: [
                    ("_csrf", token), ("fiscalYear", String(year)), ("costCenter", "CC-IT"), ("kind", "opex"), ("category", "software"),
                    ("amountText", "doze mil"), ("currency", "BRL"),
                ])
            #expect(try await admin.follow(bad).html.contains("class=\"flash error\""))
        }
    }

    @Test("assets import from an uploaded CSV in the background: its page follows it, then lists each refused row")
    func assetImport() async throws {
        try await ConsoleWorld.with(domains: Self.domains) { world in
            try await ConsoleITServiceDeskTests.seed(world)
            let admin = try await world.signedIn(ConsoleWorld.admin)
            let form = try await admin.get("/console/it-service-desk/assets/import")
            #expect(form.html.contains("enctype=\"multipart/form-data\""))
            let token = try #require(ConsoleBrowser.hidden("_csrf", in: form.html, form: "import-form"))
            let key = try #require(ConsoleBrowser.hidden("_idem", in: form.html, form: "import-form"))
            let csv = """
                tag,model,site,purchase_date,cost,currency
                AS-0100,ThinkPad,SP-HQ,2026-02-01,4500.00,BRL
                AS-0101,No such model,SP-HQ,2026-02-01,4500.00,BRL
                AS-0102,ThinkPad,SP-HQ,2026-02-01,<b>cheap</b>,BRL

                """
            let started = try await admin.upload(
                "/console/it-service-desk/assets/import", form: [("_csrf", token), ("_idem", key)], file: ("file", "assets <1>.csv", csv))
            #expect(started.status == 303)
            let location = try #require(started.location)
            #expect(location.hasPrefix("/console/it-service-desk/assets/imports/"))
            // The same form sent twice follows the first import.
            let again = try await admin.upload(
                "/console/it-service-desk/assets/import", form: [("_csrf", token), ("_idem", key)], file: ("file", "assets <1>.csv", csv))
            #expect(again.location == location)
            var page = try await admin.get(location)
            for _ in 0..<100 where !page.html.contains("id=\"import-result\"") {
                #expect(page.html.contains("http-equiv=\"refresh\""), "a running import's page reloads itself")
                try await Task.sleep(for: .milliseconds(50))
                page = try await admin.get(location)
            }
            #expect(page.html.contains("<dd id=\"import-created\">1</dd>"), "\(page.html.suffix(3000))")
            #expect(page.html.contains("<dd id=\"import-rejected\">2</dd>"))
            #expect(page.html.contains("assets &lt;1&gt;.csv"))
            #expect(page.html.contains("&lt;b&gt;cheap&lt;/b&gt;") || page.html.contains("AS-0102"))
            #expect(try await world.test.count("it_asset_imports") == 1, "sent twice, imported once")
            let errors = try await admin.get(location + "/errors.csv")
            #expect(errors.headers["content-type"]?.hasPrefix("text/csv") == true)
            #expect(errors.html.hasPrefix("line,tag,field,message\n"))
            #expect(errors.html.contains("AS-0101"))
            // A file without the required columns says why, and imports nothing.
            let bad = try await admin.upload(
                "/console/it-service-desk/assets/import", form: [("_csrf", token), ("_idem", "other-key")], file: ("file", "bad.csv", "name\nx\n"))
            var failed = try await admin.get(try #require(bad.location))
            for _ in 0..<100 where !failed.html.contains("id=\"import-failure\"") {
                try await Task.sleep(for: .milliseconds(50))
                failed = try await admin.get(try #require(bad.location))
            }
            #expect(failed.html.contains("id=\"import-failure\""))
            #expect(failed.html.contains("missing"))
            // Without the CSRF token the upload is refused; without the permission too.
            #expect(try await admin.upload("/console/it-service-desk/assets/import", form: [], file: ("file", "x.csv", csv)).status == 403)
            let ana = try await world.signedIn(ConsoleWorld.analyst)
            #expect(try await ana.upload("/console/it-service-desk/assets/import", form: [("_csrf", token)], file: ("file", "x.csv", csv)).status == 403)
            #expect(try await world.test.count("it_asset_imports") == 1)
        }
    }
}
