import Calendars
import Foundation
import IncidentOps
import ITServiceDesk
import Kernel
import ReportDocuments
import Testing
import VigilTesting

@Suite struct FinanceTests {
    /// Two sites in two currencies, a budget in each, expenses converted at the rate of their own
    /// day, and the alerts at 80% and 100% raised once, as events.
    @Test(arguments: TestEngine.available)
    func budgetRollUpWithTwoCurrenciesAndADatedRate(_ engine: TestEngine) async throws {
        // 10 June 2026, UTC.
        let desk = try await ITDeskFixture.make(engine, at: ISO8601.parse("2026-06-10T12:00:00Z")!)
        let system = desk.test.system()
        _ = try await desk.sites.create(
            SiteInput(code: "CMX-REFORMA", name: "CDMX", country: "MX", region: "MX-CMX", timeZone: "America/Mexico_City", currency: "MXN"), by: system)
        _ = try await desk.sites.addCostCenter(site: "SP-HQ", costCenter: "CC-SP", name: "IT São Paulo", by: system)
        _ = try await desk.sites.addCostCenter(site: "CMX-REFORMA", costCenter: "CC-MX", name: "IT México", by: system)
        let budgets = BudgetService(context: desk.context)
        // 1 MXN = 0.30 BRL from 1 January, 0.25 BRL from 1 May.
        _ = try await budgets.setRate(currency: "MXN", effectiveOn: LocalDate("2026-01-01")!, rate: "0.30", by: system)
        _ = try await budgets.setRate(currency: "MXN", effectiveOn: LocalDate("2026-05-01")!, rate: "0.25", by: system)
        let badRate = await #expect(throws: VigilError.self) { () async throws in
            _ = try await budgets.setRate(currency: "MXN", effectiveOn: LocalDate("2026-01-01")!, rate: "1,5", by: system)
        }
        #expect(badRate?.fields.map(\.field) == ["rate"])
        _ = try await budgets.setLine(fiscalYear: 2026, costCenter: "CC-SP", kind: "opex", category: "software", amount: 1_000_000, currency: "BRL", by: system)
        // 100,000.00 MXN budget at the 1 January rate: 30,000.00 BRL.
        _ = try await budgets.setLine(
            fiscalYear: 2026, costCenter: "CC-MX", kind: "opex", category: "software", amount: 10_000_000, currency: "MXN", by: system)
        // March (0.30): 40,000.00 MXN = 12,000.00 BRL; June (0.25): 40,000.00 MXN = 10,000.00 BRL → 22,000 of 30,000 (73%).
        _ = try await budgets.record(
            .init(
                spentOn: "2026-03-15", costCenter: "CC-MX", kind: "opex", category: "software", amount: 4_000_000, currency: "MXN", description: "Licences Q1"),
            by: system)
        _ = try await budgets.record(
            .init(
                spentOn: "2026-06-01", costCenter: "CC-MX", kind: "opex", category: "software", amount: 4_000_000, currency: "MXN", description: "Licences Q2"),
            by: system)
        var report = try await budgets.report(fiscalYear: 2026, site: nil, asOf: LocalDate("2026-06-10")!, by: desk.test.runtime.systemPrincipal("t"))
        let mx = try #require(report.lines.first { $0.costCenter == "CC-MX" })
        #expect(report.reportingCurrency == "BRL" && mx.budget == 3_000_000 && mx.actual == 2_200_000 && mx.alerts.isEmpty)
        // Run rate: 22,000.00 over 161 days of 365 → 49,875.77 by the year's end.
        #expect(mx.runRateForecast == 2_200_000 * 365 / 161)
        // A BRL expense in São Paulo needs no rate; an expense in a currency without one is refused, nothing written.
        _ = try await budgets.record(
            .init(spentOn: "2026-06-02", costCenter: "CC-SP", kind: "opex", category: "software", amount: 850_000, currency: "BRL", description: "SaaS"),
            by: system)
        let noRate = await #expect(throws: VigilError.self) { () async throws in
            _ = try await budgets.record(
                .init(spentOn: "2026-06-02", costCenter: "CC-SP", kind: "opex", category: "software", amount: 100, currency: "USD", description: "x"),
                by: system)
        }
        #expect(noRate?.detail.contains("no exchange rate for USD") == true)
        // 10,000.00 MXN more at 0.25 = 2,500.00 BRL: 24,500 ≥ 80% of 30,000 → the 80% alert, once.
        _ = try await budgets.record(
            .init(
                spentOn: "2026-06-05", costCenter: "CC-MX", kind: "opex", category: "software", amount: 1_000_000, currency: "MXN", description: "Extra seats"),
            by: system)
        // And São Paulo's 8,500 of 10,000 is past 80% too.
        report = try await budgets.report(fiscalYear: 2026, site: nil, asOf: LocalDate("2026-06-10")!, by: desk.test.runtime.systemPrincipal("t"))
        #expect(report.lines.first { $0.costCenter == "CC-MX" }?.alerts == [80])
        #expect(report.lines.first { $0.costCenter == "CC-SP" }?.alerts == [80])
        _ = try await budgets.record(
            .init(spentOn: "2026-06-06", costCenter: "CC-MX", kind: "opex", category: "software", amount: 3_000_000, currency: "MXN", description: "Renewal"),
            by: system)
        report = try await budgets.report(fiscalYear: 2026, site: "CMX-REFORMA", asOf: LocalDate("2026-06-10")!, by: desk.test.runtime.systemPrincipal("t"))
        #expect(report.lines.map(\.alerts) == [[80, 100]])
        let events = try await desk.test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_outbox WHERE type = 'it-service-desk.budget.threshold'")
            .first()?.decode(column: "n", as: Int.self)
        #expect(events == 3)
        await desk.close()
    }

    /// A lease starting on 31 January and one on 29 February, tacit and not: the derived dates,
    /// notice, termination, and costs flowing into expenses period by period.
    @Test func contractDatesAtMonthEndsAndLeapDaysAndCostsIntoExpenses() async throws {
        let desk = try await ITDeskFixture.make(at: ISO8601.parse("2026-11-20T12:00:00Z")!)
        let server = try await LiveServer.start(desk.test.runtime)
        let manager = try await desk.test.user("it.manager@x.com", roles: [.itManager], regions: .only([desk.sp]))
        let client = TestClient(baseURL: server.baseURL, token: manager.token)
        _ = try await desk.sites.addCostCenter(site: "SP-HQ", costCenter: "CC-NET", name: "Network", by: desk.test.system())
        let link = try await client.post(
            "/api/it-service-desk/contracts",
            """
            {"vendor":"Vivo","type":"network-link-lease","title":"1 Gbps fibre","site":"SP-HQ","costCenter":"CC-NET","start":"2026-01-31","initialTermMonths":12,
             "noticeDays":60,"tacitRenewal":true,"billingPeriodMonths":1,"billingAmount":350000,"currency":"BRL","circuitId":"VIVO-123","bandwidthMbps":1000,"alertDays":30}
            """)
        #expect(link.status == 201)
        let lease = try link.decode(Contract.self)
        // 12 months from 31 January 2026 end on 30 January 2027; 60 days before: 1 December 2026.
        #expect(lease.state.termEnd == LocalDate("2027-01-30") && lease.state.noticeDeadline == LocalDate("2026-12-01"))
        #expect(lease.state.nextRenewal == LocalDate("2027-01-31") && lease.state.status == .inNoticeWindow)
        let printers = try await client.post(
            "/api/it-service-desk/contracts",
            """
            {"vendor":"Simpress","type":"printer-lease","title":"Printers","site":"SP-HQ","start":"2028-02-29","initialTermMonths":12,"noticeMonths":3,
             "tacitRenewal":false,"billingPeriodMonths":3,"billingAmount":90000,"currency":"BRL"}
            """
        ).decode(Contract.self)
        // 12 months from 29 February 2028 end on 28 February 2029; no renewal.
        #expect(printers.state.termEnd == LocalDate("2029-02-28") && printers.state.nextRenewal == nil && printers.state.status == .active)
        let bad = try await client.post(
            "/api/it-service-desk/contracts",
            """
            {"vendor":"X","type":"lease","title":"t","site":"SP-HQ","start":"2026-02-30","initialTermMonths":0,"noticeDays":10,"noticeMonths":1,"tacitRenewal":false,
             "billingPeriodMonths":2,"billingAmount":1,"currency":"BRL"}
            """)
        #expect(bad.status == 422)
        #expect(Set(bad.problemFields).isSuperset(of: ["type:not-allowed", "start:format", "initialTermMonths:out-of-range"]))

        // Near the deadline: one alert per deadline.
        let contracts = ContractService(context: desk.context)
        #expect(try await contracts.raiseNoticeAlerts() == 1)
        #expect(try await contracts.raiseNoticeAlerts() == 0)

        // Costs: each month from 31 January to 20 November (month ends clamp: 28 February, 30 April…), once.
        let posted = try await client.post("/api/it-service-desk/contracts/post-costs", #"{"through":"2026-11-20"}"#)
        #expect(posted.json == .object(["posted": .integer(10)]))
        let again = try await client.post("/api/it-service-desk/contracts/post-costs", #"{"through":"2026-11-20"}"#)
        #expect(again.json == .object(["posted": .integer(0)]))
        let expenses = try await BudgetService(context: desk.context).expenses(
            costCenter: "CC-NET", from: LocalDate("2026-01-01")!, to: LocalDate("2026-12-31")!,
            by: desk.test.runtime.systemPrincipal("t"))
        #expect(expenses.map(\.spentOn.description).prefix(4) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
        #expect(expenses.allSatisfy { $0.category == .links && $0.amount == 350_000 })

        // Notice on 25 November meets the 1 December deadline: it ends on 30 January 2027.
        let ended = try await client.post(
            "/api/it-service-desk/contracts/\(lease.reference)/terminate", #"{"noticeGivenOn":"2026-11-20"}"#, headers: ["If-Match": "\"1\""])
        #expect(ended.status == 200)
        let terminated = try ended.decode(Contract.self)
        #expect(terminated.state.status == .expiring && terminated.state.nextRenewal == nil && terminated.noticeGivenOn == LocalDate("2026-11-20"))
        let twice = try await client.post("/api/it-service-desk/contracts/\(lease.reference)/terminate", #"{}"#, headers: ["If-Match": "\"2\""])
        #expect(twice.status == 409)
        let upcoming = try await contracts.list(site: nil, upcomingWithinDays: 90, by: desk.test.runtime.systemPrincipal("t"))
        #expect(upcoming.map(\.reference) == [lease.reference])
        try await server.stop()
        await desk.close()
    }

    /// Replacements are filed under their quarter with the tags behind them; growth says which
    /// plan made it; the whole is set against the capex hardware budget.
    @Test func forecastLinesTraceToTheirAssetsAndAssumptions() async throws {
        let desk = try await ITDeskFixture.make(at: ISO8601.parse("2026-11-20T12:00:00Z")!)
        try await AssetImportTests.prepare(desk)
        let system = desk.test.system()
        let service = AssetService(context: desk.context)
        _ = try await service.createModel(
            AssetModelInput(name: "HP LaserJet", manufacturer: "HP", category: "printer", expectedLifeMonths: 60, unitCost: 300_000, currency: "BRL"),
            by: system)
        // ThinkPads (36 months, 5,500.00): two bought in February 2024 end their life in 2027-Q1; one from 2025 in 2028-Q1; one from 2022 is overdue.
        for (tag, date) in [("NB-A", "2024-02-10"), ("NB-B", "2024-03-05"), ("NB-C", "2025-01-20"), ("NB-OLD", "2022-06-01")] {
            _ = try await service.create(
                AssetFields(["tag": tag, "model": "ThinkPad T14", "site": "SP-HQ", "purchase_date": date, "cost": "5500.00", "currency": "BRL"]), by: system)
        }
        // A retired one is not replaced again.
        _ = try await service.create(
            AssetFields([
                "tag": "NB-GONE", "model": "ThinkPad T14", "site": "SP-HQ", "purchase_date": "2024-02-10", "cost": "5500.00", "currency": "BRL",
                "status": "retired",
            ]), by: system)
        // Printers replaced at warranty end by policy.
        _ = try await service.create(
            AssetFields([
                "tag": "PR-1", "model": "HP LaserJet", "site": "SP-HQ", "purchase_date": "2025-05-01", "cost": "3000.00", "currency": "BRL",
                "warranty_end": "2027-05-01",
            ]), by: system)
        let forecast = PurchaseForecast(context: desk.context)
        try await forecast.setReplacementRule(category: "printer", rule: "warranty-end", by: system)
        try await forecast.setHeadcount(site: "SP-HQ", quarter: Quarter("2027-Q2")!, delta: 10, by: system)
        try await forecast.setDevicesPerPerson(model: "ThinkPad T14", perPerson: "1", by: system)
        try await forecast.setDevicesPerPerson(model: "HP LaserJet", perPerson: "0.25", by: system)
        _ = try await BudgetService(context: desk.context).setLine(
            fiscalYear: 2027, costCenter: "CC-IT", kind: "capex", category: "hardware", amount: 5_000_000, currency: "BRL", by: system)
        let report = try await forecast.run(quarters: 8, from: Quarter("2027-Q1"), site: nil, by: desk.test.runtime.systemPrincipal("t"))
        let q1 = try #require(report.lines.first { $0.quarter == Quarter("2027-Q1") && $0.reason == .endOfLife })
        #expect(q1.quantity == 2 && Set(q1.assets) == ["NB-A", "NB-B"] && q1.cost == 1_100_000 && q1.explanation.contains("ThinkPad T14"))
        let overdue = try #require(report.lines.first { $0.reason == .overdue })
        #expect(overdue.assets == ["NB-OLD"] && overdue.quarter == Quarter("2027-Q1"))
        #expect(report.lines.contains { $0.quarter == Quarter("2028-Q1") && $0.assets == ["NB-C"] })
        #expect(!report.lines.contains { $0.assets.contains("NB-GONE") })
        let printer = try #require(report.lines.first { $0.reason == .warrantyEnd })
        #expect(printer.assets == ["PR-1"] && printer.quarter == Quarter("2027-Q2"))
        let growth = report.lines.filter { $0.reason == .growth }
        #expect(Set(growth.map { "\($0.model ?? ""):\($0.quantity)" }) == ["ThinkPad T14:10", "HP LaserJet:3"])
        #expect(growth.allSatisfy { $0.explanation.contains("headcount +10 at SP-HQ in 2027-Q2") })
        let fy2027 = try #require(report.budgets.first { $0.fiscalYear == 2027 })
        let expected2027 = report.lines.filter { $0.quarter.year == 2027 }.reduce(Int64(0)) { $0 + $1.cost }
        #expect(fy2027.budget == 5_000_000 && fy2027.forecast == expected2027 && fy2027.difference == 5_000_000 - expected2027)
        await desk.close()
    }

    @Test func requirementIsTriagedAndItsPlanFollowsDependencies() async throws {
        let desk = try await ITDeskFixture.make()
        let system = desk.test.system()
        let requirements = RequirementService(context: desk.context)
        let asker = try await desk.test.user("ops@x.com", roles: [.analyst], regions: .only([desk.sp]))
        let raised = try await requirements.create(
            RequirementInput(
                title: "Wi-Fi in the new wing", businessNeed: "40 analysts move in April", site: "SP-HQ", desiredDate: "2026-04-01",
                priority: "high", estimatedCost: 8_000_000, currency: "BRL"), by: desk.test.invocation(asker.principal))
        #expect(raised.reference.hasPrefix("REQ-") && raised.status == .new)
        let early = await #expect(throws: VigilError.self) { () async throws in
            _ = try await requirements.addTask(raised.reference, PlanTaskInput(title: "Survey", owner: "ana", dueDate: "2026-03-01"), by: system)
        }
        #expect(early?.kind == .conflict)
        let noReason = await #expect(throws: VigilError.self) { () async throws in
            _ = try await requirements.triage(raised.reference, to: .rejected, reason: nil, expectedVersion: 1, by: system)
        }
        #expect(noReason?.fields.map(\.field) == ["reason"])
        let accepted = try await requirements.triage(raised.reference, to: .accepted, reason: nil, expectedVersion: 1, by: system)
        let line = try await { () async throws -> BudgetLine in
            _ = try await desk.sites.addCostCenter(site: "SP-HQ", costCenter: "CC-NET", name: "Network", by: system)
            return try await BudgetService(context: desk.context).setLine(
                fiscalYear: 2026, costCenter: "CC-NET", kind: "capex", category: "hardware", amount: 9_000_000, currency: "BRL", by: system)
        }()
        var plan = try await requirements.addTask(
            accepted.reference, PlanTaskInput(title: "Site survey", owner: "ana@x.com", dueDate: "2026-02-27"), by: system)
        let survey = plan.tasks[0]
        plan = try await requirements.addTask(
            accepted.reference,
            PlanTaskInput(
                title: "Install access points", owner: "bia@x.com", dueDate: "2026-03-20",
                dependsOn: [survey.id], budgetLineId: line.id), by: system)
        let install = plan.tasks[1]
        #expect(install.dependsOn == [survey.id] && install.budgetLineId == line.id)
        let blocked = await #expect(throws: VigilError.self) { () async throws in
            _ = try await requirements.updateTask(
                accepted.reference, task: install.id, status: .doing, progress: nil, expectedVersion: install.version, by: system)
        }
        #expect(blocked?.detail.contains("waits for \"Site survey\"") == true)
        plan = try await requirements.updateTask(accepted.reference, task: survey.id, status: nil, progress: 100, expectedVersion: survey.version, by: system)
        #expect(plan.tasks[0].status == .done && plan.progress == 50)
        plan = try await requirements.updateTask(
            accepted.reference, task: install.id, status: .doing, progress: 40, expectedVersion: install.version, by: system)
        #expect(plan.progress == 70)
        await desk.close()
    }

    @Test func reportsRenderAsJSONCSVAndHTMLWithCharts() async throws {
        let desk = try await ITDeskFixture.make()
        try await AssetImportTests.prepare(desk)
        _ = try await AssetLifecycleTests.register(desk, "R-1")
        _ = try await desk.incident(title: "Printer jam", by: nil)
        let server = try await LiveServer.start(desk.test.runtime)
        let manager = try await desk.test.user("lead@x.com", roles: [.itManager], regions: .only([desk.sp]))
        let client = TestClient(baseURL: server.baseURL, token: manager.token)
        let html = try await client.get("/api/it-service-desk/report-documents/inventory?format=html")
        #expect(
            html.status == 200 && html[header: "content-type"]?.hasPrefix("text/html") == true && html.text.contains("<svg")
                && html.text.contains("ThinkPad T14"))
        let csv = try await client.get("/api/it-service-desk/report-documents/tickets?format=csv")
        #expect(csv.status == 200 && csv.text.contains("Volume by category\ncategory,tickets\nhardware,1"))
        let json = try await client.get("/api/it-service-desk/report-documents/depreciation?fiscalYear=2026")
        let document = try json.decode(ReportDocument.self)
        #expect(json.status == 200 && document.sections.first?.rows.first?[1] == "CC-IT")
        #expect(try await client.get("/api/it-service-desk/report-documents/nope").status == 404)
        let agent = try await desk.test.user("agent@x.com", roles: [.analyst], regions: .only([desk.sp]))
        #expect(try await TestClient(baseURL: server.baseURL, token: agent.token).get("/api/it-service-desk/report-documents/inventory").status == 403)
        try await server.stop()
        await desk.close()
    }
}
