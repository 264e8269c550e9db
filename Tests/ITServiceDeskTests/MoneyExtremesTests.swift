import Calendars
import CSVCoding
import Foundation
import ITServiceDesk
import Kernel
import Monetary
import PropertyTesting
import Testing
import VigilTesting

/// Issue 9, "The server dies": one request with a large amount, rate or cost used to trap on
/// overflow and take every domain down. Here each reproduction of the issue runs against the real
/// server, and then a seeded stream of random and extreme values goes through every money path;
/// no answer may be a 5xx, every refusal is problem+json, and the budget report still adds up.
@Suite struct MoneyExtremesTests {
    static let api = "/api/it-service-desk"
    static let max = Money.maximumMinorUnits

    // MARK: The issue's four reproductions

    @Test(arguments: TestEngine.available)
    func anExpenseOfAHundredQuadrillionIsRefusedBeforeTheBudgetCheck(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
            #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-IT/opex/software", json: #"{"amount":100000000,"currency":"BRL"}"#).status == 200)
            let huge = try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense("100000000000000000"))
            #expect(huge.status == 422 && huge.problemFields == ["amount:out-of-range"])
            #expect(try await test.count("it_expenses") == 0)
            #expect(try await probe.healthz() == 200)
            // The largest accepted amount goes through the same threshold check: written, both
            // alerts raised, and the report carries it exactly.
            #expect(try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense("\(Self.max)")).status == 201)
            let report = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026&asOf=2026-06-10", as: .auditor)
            let line = try #require(try report.decode(BudgetReport.self).lines.first)
            #expect(line.budget == 100_000_000 && line.actual == Self.max && line.remaining == 100_000_000 - Self.max && line.alerts == [80, 100])
            // 161 days of 365 gone by 10 June: the run rate carries the actual over the year.
            #expect(line.runRateForecast == Int64(Int128(Self.max) * 365 / 161))
        }
    }

    @Test(arguments: TestEngine.available)
    func anExpenseOfInt64MaxIsRefusedAndTheBudgetReportStillAnswers(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
            #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-IT/opex/software", json: #"{"amount":100000000,"currency":"BRL"}"#).status == 200)
            for amount in ["9223372036854775807", "-9223372036854775808", "1000000000000000"] {
                let refused = try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense(amount))
                #expect(refused.status == 422 && refused.problemFields == ["amount:out-of-range"], "amount \(amount)")
            }
            #expect(try await test.count("it_expenses") == 0)
            let report = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026", as: .auditor)
            #expect(try report.status == 200 && report.decode(BudgetReport.self).lines.map(\.actual) == [0])
            // The issue's second crash was the next expense on that line: it is an ordinary one now.
            #expect(try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense("1000000")).status == 201)
            let after = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026", as: .auditor)
            #expect(try after.status == 200 && after.decode(BudgetReport.self).lines.map(\.actual) == [1_000_000])
            #expect(try await probe.healthz() == 200)
        }
    }

    @Test(arguments: TestEngine.available)
    func anAbsurdRateIsRefusedAndTheLargestRateNeverCrashesTheReport(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
            let absurd = try await probe.send("PUT", "\(Self.api)/exchange-rates/USD", json: #"{"effectiveOn":"2026-01-01","rate":"9999999999.9999"}"#)
            #expect(absurd.status == 422 && absurd.problemFields == ["rate:format"])
            #expect(
                try await probe.send("PUT", "\(Self.api)/exchange-rates/USD", json: #"{"effectiveOn":"2026-01-01","rate":"1000000.0000000001"}"#).status == 422)
            #expect(try await test.count("it_exchange_rates") == 0)
            // The largest rate accepted: one dollar is a million reais.
            #expect(try await probe.send("PUT", "\(Self.api)/exchange-rates/USD", json: #"{"effectiveOn":"2026-01-01","rate":"1000000"}"#).status == 200)
            #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-IT/opex/software", json: #"{"amount":100000000,"currency":"BRL"}"#).status == 200)
            // The issue's expense of 999,999,999,999 at that rate fits 64 bits and is written.
            #expect(try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense("999999999999", currency: "USD")).status == 201)
            // The largest input amount does not fit once converted: refused as out of range, not written.
            let beyond = try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense("\(Self.max)", currency: "USD"))
            #expect(beyond.status == 422 && beyond.problemType == "out-of-range")
            #expect(try await test.count("it_expenses") == 1)
            // The largest expense accepted at that rate: Int64.max ÷ 1,000,000 dollars' cents.
            let largest = "\(Int64.max / 1_000_000)"
            // On the budgeted line the threshold check's sum would pass 64 bits: refused, not written.
            let pastSum = try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense(largest, currency: "USD"))
            #expect(pastSum.status == 422 && pastSum.problemType == "out-of-range")
            var report = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026", as: .auditor)
            #expect(try report.status == 200 && report.decode(BudgetReport.self).lines.map(\.actual) == [999_999_999_999_000_000])
            // Two of them on a line without a budget pass (no check runs); once it has a budget, its
            // actual is beyond 64 bits and the report says so.
            for _ in 0..<2 {
                #expect(try await probe.send("POST", "\(Self.api)/expenses", json: Self.expense(largest, currency: "USD", category: "hardware")).status == 201)
            }
            #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-IT/opex/hardware", json: #"{"amount":1,"currency":"BRL"}"#).status == 200)
            report = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026", as: .auditor)
            #expect(report.status == 422 && report.problemType == "out-of-range")
            for format in ["json", "csv", "html"] {
                let document = try await probe.send("GET", "\(Self.api)/report-documents/budget?fiscalYear=2026&format=\(format)", as: .auditor)
                #expect(document.status == 422 && document.problemType == "out-of-range")
            }
            #expect(try await probe.healthz() == 200)
        }
    }

    @Test(arguments: TestEngine.available)
    func assetCostsBeyondTheBoundAreRowErrorsAndTheLargestOnesAddUpExactly(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
            #expect(
                try await probe.send(
                    "POST", "\(Self.api)/asset-models",
                    json: """
                        {"name":"ThinkPad T14","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":\(Self.max),"currency":"BRL"}
                        """
                ).status == 201)
            func file(_ cost: String, prefix: String) -> String {
                ([AssetImportTests.header]
                    + (1...100).map { n in
                        AssetImportTests.row([
                            "tag": "\(prefix)-\(n)", "model": "ThinkPad T14", "site": "SP-HQ", "cost_center": "CC-IT", "purchase_date": "2026-01-10",
                            "cost": cost, "currency": "BRL",
                        ])
                    }).joined(separator: "\n")
            }
            let refused = try await probe.send("POST", "\(Self.api)/imports/assets?name=huge.csv", csv: file("999999999999999.99", prefix: "HUGE"))
            let refusedReport = try refused.decode(AssetImportReport.self)
            #expect(refused.status == 200 && refusedReport.rows == 100 && refusedReport.rejected == 100 && refusedReport.created == 0)
            #expect(refusedReport.errors.map(\.field) == Array(repeating: "cost", count: 100) && refusedReport.errors.map(\.line) == Array(2...101))
            #expect(try await test.count("it_assets") == 0)

            let imported = try await probe.send("POST", "\(Self.api)/imports/assets?name=largest.csv", csv: file("9999999999999.99", prefix: "NB"))
            #expect(try imported.status == 200 && imported.decode(AssetImportReport.self).created == 100)
            // 100 × 999,999,999,999,999 centavos; 5 of 36 months gone by 10 June (each asset
            // 999,999,999,999,999 × 5 ÷ 36 = 138,888,888,888,888.75, rounded half up).
            let book = try await probe.send("GET", "\(Self.api)/reports/book-value?asOf=2026-06-10", as: .auditor)
            let line = try #require(try book.decode(BookValueReport.self).lines.first)
            #expect(book.status == 200 && line.assets == 100 && line.cost == 100 * Self.max)
            #expect(line.accumulated == 100 * 138_888_888_888_889 && line.bookValue == line.cost - line.accumulated)
            // Bought during 2026: opens at cost, closes at two thirds of it (12 of 36 months).
            let year = try await probe.send("GET", "\(Self.api)/reports/depreciation?fiscalYear=2026", as: .auditor)
            let fy = try #require(try year.decode([DepreciationLine].self).first)
            #expect(
                fy.opening == 100 * Self.max && fy.closing == 100 * 666_666_666_666_666 && fy.depreciation == 100 * 333_333_333_333_333 && fy.disposals == 0)
            let schedule = try await probe.send("GET", "\(Self.api)/assets/NB-7/depreciation", as: .auditor)
            let periods = try schedule.decode(AssetSchedule.self).periods
            #expect(periods.first?.opening == Self.max && periods.last?.closing == 0 && periods.reduce(Int64(0)) { $0 + $1.depreciation } == Self.max)
            // The 100 reach their end of life in 2029-Q1, priced at the model's largest unit cost.
            let forecast = try await probe.send("GET", "\(Self.api)/forecast?from=2029-Q1&quarters=1", as: .auditor)
            let replacement = try #require(try forecast.decode(PurchaseForecastReport.self).lines.first)
            #expect(replacement.quantity == 100 && replacement.cost == 100 * Self.max && replacement.reason == .endOfLife)
            for name in ITReports.Name.allCases {
                for format in ["json", "csv", "html"] {
                    let document = try await probe.send("GET", "\(Self.api)/report-documents/\(name.rawValue)?format=\(format)&fiscalYear=2026", as: .auditor)
                    #expect(document.status == 200, "\(name) as \(format)")
                }
            }
            let csv = try await probe.send("GET", "\(Self.api)/report-documents/depreciation?format=csv&fiscalYear=2026", as: .auditor)
            #expect(csv.text.contains("999999999999999.00"))
            #expect(try await probe.healthz() == 200)
        }
    }

    /// Bounded inputs can still add up past 64 bits: 9,224 assets at the largest cost come to
    /// 9,223,999,999,999,990,776 centavos, beyond Int64.max. Every total over them is a 422
    /// out-of-range problem, and the purchase order that bought them all is refused, not summed.
    @Test(arguments: TestEngine.available)
    func totalsPastSixtyFourBitsAreOutOfRangeProblems(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
            #expect(
                try await probe.send(
                    "POST", "\(Self.api)/asset-models",
                    json: """
                        {"name":"ThinkPad T14","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":\(Self.max),"currency":"BRL"}
                        """
                ).status == 201)
            func rows(_ count: Int, prefix: String, cost: String, order: String) -> [String] {
                (1...count).map { n in
                    AssetImportTests.row([
                        "tag": "\(prefix)-\(n)", "model": "ThinkPad T14", "site": "SP-HQ", "cost_center": "CC-IT", "purchase_date": "2026-01-10",
                        "cost": cost, "currency": "BRL", "purchase_order": order,
                    ])
                }
            }
            let file =
                ([AssetImportTests.header] + rows(2, prefix: "SMALL", cost: "1500.25", order: "PO-SMALL")
                    + rows(9_224, prefix: "NB", cost: "9999999999999.99", order: "PO-BIG"))
            let imported = try await probe.send("POST", "\(Self.api)/imports/assets?name=many.csv", csv: file.joined(separator: "\n"))
            #expect(try imported.status == 200 && imported.decode(AssetImportReport.self).created == 9_226)
            for path in [
                "reports/book-value?asOf=2026-06-10", "reports/depreciation?fiscalYear=2026", "report-documents/depreciation?fiscalYear=2026&format=html",
                "forecast?from=2029-Q1&quarters=1", "report-documents/inventory?format=csv",
            ] {
                let response = try await probe.send("GET", "\(Self.api)/\(path)", as: .auditor)
                #expect(path.contains("inventory") ? response.status == 200 : response.status == 422 && response.problemType == "out-of-range", "\(path)")
            }
            #expect(try await probe.send("GET", "\(Self.api)/assets/NB-9224/depreciation", as: .auditor).status == 200)
            // An ordinary purchase order becomes one capex expense; the big one is beyond the bound.
            // The order's cost is added up in 128 bits (SQL's SUM overflowed on SQLite and was a
            // NUMERIC on PostgreSQL, a 500 on both).
            let small = try await probe.send("POST", "\(Self.api)/expenses/from-purchase-order", json: #"{"purchaseOrder":"PO-SMALL"}"#)
            let big = try await probe.send("POST", "\(Self.api)/expenses/from-purchase-order", json: #"{"purchaseOrder":"PO-BIG"}"#)
            #expect(small.status == 200 && small.text.contains(#""amount":300050"#), "\(small.status) \(small.text.prefix(300))")
            #expect(big.status == 422 && big.problemFields.contains("amount:out-of-range"), "\(big.status) \(big.text.prefix(300))")
            #expect(try await test.count("it_expenses") == 1)
            #expect(try await probe.healthz() == 200)
        }
    }

    // MARK: Random and extreme values through every money path

    /// Over 400 requests drawn from a seeded generator (a fixed seed: a failure replays exactly),
    /// each answered below 500 with a problem document when refused;
    /// where the outcome follows from the documented bounds alone, it is checked exactly. At the
    /// end the budget report of the site that took the manual expenses equals a model kept here
    /// (each accepted expense converted at the rate in force on its day, in exact fractions).
    @Test(arguments: TestEngine.available)
    func randomAndExtremeValuesThroughEveryMoneyPathNeverGiveA5xx(_ engine: TestEngine) async throws {
        try await MoneyDesk.run(engine) { probe, test in
            var run = MoneyRun(engine: engine, gen: Gen(seed: 0x1551_E009_5EED))
            try await run.prepare(&probe)
            for step in 0..<400 {
                try await run.step(step, &probe)
            }
            try await run.finish(&probe)
            #expect(probe.serverErrors.isEmpty, "5xx answers:\n\(probe.serverErrors.joined(separator: "\n"))")
            #expect(probe.sent >= 400)
            // Both sides of each bound were reached, or the run proves less than it claims.
            for path in ["rate", "budget", "expense", "asset", "model", "contract", "requirement", "headcount", "disposal", "forecast"] {
                let tally = run.tally[path, default: Tally()]
                #expect(tally.accepted > 0 && tally.refused > 0, "\(path): \(tally.accepted) accepted, \(tally.refused) refused")
            }
        }
    }

    static func expense(
        _ amount: String, currency: String = "BRL", on day: String = "2026-03-15", costCenter: String = "CC-IT", kind: String = "opex",
        category: String = "software"
    ) -> String {
        #"{"spentOn":"\#(day)","costCenter":"\#(costCenter)","kind":"\#(kind)","category":"\#(category)","amount":\#(amount),"currency":"\#(currency)","description":"test"}"#
    }
}

// MARK: - The server and a client that checks every answer

/// A fresh runtime at 10 June 2026 (UTC) behind a real server, an it-manager of every region who
/// writes, and a read-only auditor who reads.
private struct MoneyDesk {
    static func run(_ engine: TestEngine, _ body: (inout Probe, TestRuntime) async throws -> Void) async throws {
        let test = try await TestRuntime.make(engine, domains: [ITServiceDeskModule.self], clock: FixedWallClock(ISO8601.parse("2026-06-10T12:00:00Z")!))
        let server: LiveServer
        do { server = try await LiveServer.start(test.runtime) } catch {
            await test.close()
            throw error
        }
        do {
            let manager = try await test.user("it.manager@x.com", roles: [.itManager], regions: .all)
            let auditor = try await test.user("auditor@x.com", roles: [.auditor], regions: .all)
            var probe = Probe(baseURL: server.baseURL, manager: manager.token, auditor: auditor.token)
            try await body(&probe, test)
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
        try await server.stop()
        await test.close()
    }
}

/// Sends requests and checks what every answer must be: never a 5xx (a trap would have ended the
/// process instead), and every 4xx an RFC 9457 problem document.
private struct Probe {
    enum Who { case manager, auditor }

    let baseURL: String
    let manager: String
    let auditor: String
    private(set) var sent = 0
    private(set) var serverErrors: [String] = []

    init(baseURL: String, manager: String, auditor: String) {
        self.baseURL = baseURL
        self.manager = manager
        self.auditor = auditor
    }

    /// Every answer is checked: never a 5xx, a 4xx always a problem document.
    @discardableResult
    mutating func send(
        _ method: String, _ path: String, json: String? = nil, csv: String? = nil, headers: [String: String] = [:], as who: Who = .manager,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let client = TestClient(baseURL: baseURL, token: who == .manager ? manager : auditor)
        let response: TestResponse
        if let csv {
            response = try await client.request(method, path, body: Data(csv.utf8), headers: headers.merging(["Content-Type": "text/csv"]) { _, new in new })
        } else {
            response = try await client.request(method, path, json: json, headers: headers)
        }
        sent += 1
        let what =
            "\(method) \(path) \(json ?? csv.map { "(CSV of \($0.utf8.count) bytes: \($0.prefix(400)))" } ?? "") → \(response.status) \(response.text.prefix(300))"
        if response.status >= 500 { serverErrors.append(what) }
        #expect(response.status < 500, "\(what)", sourceLocation: sourceLocation)
        if (400..<500).contains(response.status) {
            #expect(
                response[header: "content-type"]?.hasPrefix("application/problem+json") == true, "not a problem document: \(what)",
                sourceLocation: sourceLocation)
        }
        return response
    }

    func healthz() async throws -> Int {
        try await TestClient(baseURL: baseURL, token: nil).get("/healthz").status
    }

    /// A site in BRL with one cost center, over HTTP as the manager.
    mutating func office(_ code: String, region: String, costCenter: String) async throws {
        let site = try await send(
            "POST", "\(MoneyExtremesTests.api)/sites",
            json: """
                {"code":"\(code)","name":"\(code)","country":"BR","region":"\(region)","timeZone":"America/Sao_Paulo","currency":"BRL"}
                """)
        #expect(site.status == 201)
        #expect(try await send("POST", "\(MoneyExtremesTests.api)/sites/\(code)/cost-centers", json: #"{"code":"\#(costCenter)","name":"IT"}"#).status == 201)
    }
}

extension TestResponse {
    /// The last segment of a problem's type URI: `out-of-range`, `validation`…
    fileprivate var problemType: String? {
        guard case .object(let members)? = json, case .string(let type)? = members["type"] else { return nil }
        return type.split(separator: "/").last.map(String.init)
    }
}

// MARK: - The generator

/// A JSON number as sent, and the 64-bit integer a decoder reads from it (nil: not one).
private struct Number {
    let json: String
    let value: Int64?

    init(_ value: Int64) { json = String(value); self.value = value }
    init(json: String, value: Int64?) { self.json = json; self.value = value }

    func within(_ bounds: ClosedRange<Int64>) -> Bool { value.map(bounds.contains) ?? false }
}

/// Text and whether the documented rule accepts it.
private struct Sample {
    let text: String
    let valid: Bool
}

private struct Gen {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 { range.lowerBound + Int64(rng.next() % UInt64(range.upperBound - range.lowerBound + 1)) }
    mutating func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(below(10))) }) }

    /// What a decoder makes of numbers that are not 64-bit integers, and of those at its edges.
    static let oddNumbers: [Number] = [
        Number(Int64.max), Number(Int64.min), Number(json: "1.0", value: 1), Number(json: "1.5", value: nil), Number(json: "1e400", value: nil),
        Number(json: "-1e400", value: nil), Number(json: "1e18", value: 1_000_000_000_000_000_000), Number(json: "9223372036854775808", value: nil),
        Number(json: "-9223372036854775809", value: nil), Number(json: "100000000000000000000000", value: nil), Number(json: #""100""#, value: nil),
    ]

    /// An amount of minor units: the bounds and their neighbours, 64-bit extremes, odd numbers, or
    /// a random value (large or ordinary, sometimes a credit).
    mutating func amount() -> Number {
        let max = Money.maximumMinorUnits
        switch below(10) {
        case 0, 1:
            return pick([Number(0), Number(1), Number(-1), Number(max), Number(-max), Number(max + 1), Number(-max - 1), Number(1_000_000_000_000_000_000)])
        case 2: return pick(Self.oddNumbers)
        case 3, 4: return Number(int(0...max))
        case 5: return Number(-int(1...10_000_000))
        default: return Number(int(1...50_000_000))
        }
    }

    /// A count within `bounds` (months, days, people), its edges and their neighbours, or extremes.
    mutating func count(_ bounds: ClosedRange<Int64>) -> Number {
        switch below(8) {
        case 0: return pick([Number(bounds.lowerBound), Number(bounds.upperBound)])
        case 1: return pick([Number(bounds.lowerBound - 1), Number(bounds.upperBound + 1), Number(0), Number(-1)])
        case 2: return pick(Self.oddNumbers)
        default: return Number(int(bounds))
        }
    }

    static let fixedDates = [
        "1900-01-01", "2199-12-31", "9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2026-02-29", "2028-02-29",
        "2026-13-01", "2026-00-10", "2026-1-5", "20260101", "-2026-01-01", "",
    ]

    /// A date: the edges of the input years, beyond them, impossible days, or an ordinary day.
    mutating func date() -> Sample {
        let text: String =
            switch below(6) {
            case 0, 1: pick(Self.fixedDates)
            case 2: String(format: "%04d-%02d-%02d", Int(int(1900...2199)), Int(int(1...12)), Int(int(1...28)))
            default: day2026()
            }
        return Sample(text: text, valid: Self.isInputDate(text))
    }

    mutating func day2026() -> String { String(format: "2026-%02d-%02d", Int(int(1...12)), Int(int(1...28))) }

    /// An exchange rate as typed: ordinary ones, the bounds, and random digit strings with up to
    /// 9 whole digits and 12 decimals.
    mutating func rate() -> Sample {
        let text: String
        switch below(5) {
        case 0:
            text = pick([
                "1", "1000000", "1000000.0000000000", "999999.9999999999", "0.0000000001", "1000000.0000000001", "0", "0.00000000001",
                "9999999999.9999", "-1", "1e3", "1,5", "", ".5", "5.", "5.4321", "00000001", "NaN",
            ])
        case 1, 2: text = "\(below(10)).\(digits(1 + below(4)))"
        default: text = digits(1 + below(9)) + (chance(70) ? "." + digits(1 + below(12)) : "")
        }
        return Sample(text: text, valid: Self.rateValue(text) != nil)
    }

    mutating func quarter() -> Sample {
        let text: String =
            chance(35)
            ? pick(["9999-Q4", "0-Q1", "2199-Q4", "1900-Q1", "2026-Q5", "2026-Q0", "-999-Q1", "9223372036854775807-Q1", "2026Q1", "2026-Q"])
            : "\(int(1900...2199))-Q\(int(1...4))"
        return Sample(text: text, valid: Self.isQuarter(text))
    }

    /// An amount as a CSV cell (units with decimals, as people write them).
    mutating func moneyText() -> String {
        switch below(4) {
        case 0:
            return pick([
                "0", "0.01", "1", "5000.00", "9999999999999.99", "10000000000000.00", "999999999999999.99", "9999999999999.999", "-1.00",
                "+1.00", "1e3", "12,50", "", "00000000000000000001", "٣", "1.", ".5", "999999999999999",
            ])
        case 1: return digits(1 + below(16)) + (chance(60) ? "." + digits(1 + below(3)) : "")
        default: return "\(int(0...9_999_999)).\(digits(2))"
        }
    }

    /// Query values for years and counts: ordinary, edges, and what no integer parser takes.
    mutating func yearQuery() -> String {
        chance(50) ? "2026" : pick(["1900", "2000", "2200", "1899", "2201", "0", "-1", "9223372036854775807", "99999999999999999999", "2026.0", "abc", "2199"])
    }

    mutating func quartersQuery() -> String {
        chance(50) ? "\(int(1...16))" : pick(["0", "17", "-1", "99999999999999999999", "1.5", "16"])
    }

    // The documented input rules, written out here so the server is checked against them.

    static func isInputDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1900...2199).contains(year), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return (1...[31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]).contains(day)
    }

    static func isQuarter(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(parts[0]) else { return false }
        return (1900...2199).contains(year) && ["Q1", "Q2", "Q3", "Q4"].contains(String(parts[1]))
    }

    /// A rate as an exact fraction (digits over a power of ten) when it is one the server must
    /// take: 1 to 7 whole digits, up to 10 decimals, above zero and at most 1,000,000.
    static func rateValue(_ text: String) -> (numerator: Int128, denominator: Int128)? {
        guard let (numerator, denominator) = decimal(text, wholeDigits: 7, fractionDigits: 10), numerator > 0, numerator <= 1_000_000 * denominator else {
            return nil
        }
        return (numerator, denominator)
    }

    static func decimal(_ text: String, wholeDigits: Int, fractionDigits: Int) -> (Int128, Int128)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...wholeDigits).contains(parts[0].count), parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            parts.count == 1 || (1...fractionDigits).contains(parts[1].count)
        else { return nil }
        let decimals = parts.count == 2 ? parts[1].count : 0
        var denominator: Int128 = 1
        for _ in 0..<decimals { denominator *= 10 }
        return (Int128(String(parts[0] + (parts.count == 2 ? parts[1] : "")))!, denominator)
    }

    /// A CSV amount in minor units, when valid: up to 15 whole digits, at most the currency's
    /// decimals, not signed, within the input bound.
    static func minorUnits(_ text: String, currency: String) -> Int64? {
        let digits = Money.minorDigits(currency)
        guard let (value, denominator) = decimal(text, wholeDigits: 15, fractionDigits: Swift.max(digits, 1)) else { return nil }
        var scale: Int128 = 1
        for _ in 0..<digits { scale *= 10 }
        guard denominator <= scale else { return nil }
        let minor = value * (scale / denominator)
        return minor <= Int128(Money.maximumMinorUnits) ? Int64(minor) : nil
    }
}

// MARK: - The run

private struct Tally {
    var accepted = 0
    var refused = 0
}

/// The state of the property run: what was accepted (rates, budget lines and expenses of the
/// site SP-FIN, which the final check recomputes), names to refer to, and tallies per path.
private struct MoneyRun {
    let engine: TestEngine
    var gen: Gen
    var tally: [String: Tally] = [:]
    /// Currency → effective day → rate text, as accepted.
    var rates: [String: [String: String]] = [:]
    /// "kind/category" → (amount, currency): SP-FIN's budget lines of fiscal year 2026.
    var lines: [String: (amount: Int64, currency: String)] = [:]
    /// SP-FIN's accepted expenses.
    var expenses: [(day: String, amount: Int64, currency: String, line: String)] = []
    var models = ["ThinkPad T14"]
    var tags: [String] = []
    var contracts: [String] = []
    var serial = 0
    var postings = 0

    static let api = MoneyExtremesTests.api
    static let currencies = ["USD", "MXN", "JPY", "KWD"]
    static let kinds = ["opex", "capex"]
    static let categories = ["software", "hardware", "links"]

    mutating func count(_ path: String, _ accepted: Bool) {
        if accepted { tally[path, default: Tally()].accepted += 1 } else { tally[path, default: Tally()].refused += 1 }
    }

    mutating func next() -> Int {
        serial += 1
        return serial
    }

    /// Taken with `success` when the documented rules allow it; else refused as a bad request
    /// (422, or 400 for a number no JSON reader takes, such as 1e400).
    static func expect(_ response: TestResponse, valid: Bool, success: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            valid ? response.status == success : (response.status == 422 || response.status == 400),
            "\(what) → \(response.status) \(response.text.prefix(200))",
            sourceLocation: sourceLocation)
    }

    /// Three offices (assets at SP-HQ, the modelled expenses at SP-FIN, contracts at RJ-NET), a
    /// rate per currency from the first input day, so that every day has one, and a model.
    mutating func prepare(_ probe: inout Probe) async throws {
        try await probe.office("SP-HQ", region: "BR-SP", costCenter: "CC-IT")
        try await probe.office("SP-FIN", region: "BR-SP", costCenter: "CC-FIN")
        try await probe.office("RJ-NET", region: "BR-RJ", costCenter: "CC-NET")
        for (currency, rate) in zip(Self.currencies, ["5.4321", "0.30", "0.035", "16.5"]) {
            #expect(
                try await probe.send("PUT", "\(Self.api)/exchange-rates/\(currency)", json: #"{"effectiveOn":"1900-01-01","rate":"\#(rate)"}"#).status == 200)
            rates[currency] = ["1900-01-01": rate]
        }
        #expect(
            try await probe.send(
                "POST", "\(Self.api)/asset-models",
                json: """
                    {"name":"ThinkPad T14","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":550000,"currency":"BRL"}
                    """
            ).status == 201)
        #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-NET/opex/links", json: #"{"amount":5000000,"currency":"BRL"}"#).status == 200)
    }

    mutating func step(_ step: Int, _ probe: inout Probe) async throws {
        // Contracts' costs are posted twice in the run (each posting walks every period).
        if step == 200 || step == 399 { return try await postCosts(&probe, through: step == 399 ? "2199-12-31" : gen.date().text) }
        switch gen.below(100) {
        case 0..<10: try await rate(&probe)
        case 10..<22: try await budget(&probe)
        case 22..<44: try await expense(&probe)
        case 44..<47: try await model(&probe)
        case 47..<59: try await asset(&probe)
        case 59..<61: try await importAssets(&probe)
        case 61..<62: try await purchaseOrder(&probe)
        case 62..<68: try await contract(&probe)
        case 68..<69: try await postCosts(&probe, through: gen.pick(Gen.fixedDates.filter { !Gen.isInputDate($0) }))
        case 69..<74: try await requirement(&probe)
        case 74..<80: try await assumption(&probe)
        default: try await read(&probe)
        }
    }

    // MARK: Writes

    mutating func rate(_ probe: inout Probe) async throws {
        let currency = gen.chance(90) ? gen.pick(Self.currencies) : gen.pick(["BRL", "usd", "XX", "EURO"])
        let (rate, day) = (gen.rate(), gen.date())
        let response = try await probe.send("PUT", "\(Self.api)/exchange-rates/\(currency)", json: #"{"effectiveOn":"\#(day.text)","rate":"\#(rate.text)"}"#)
        let known = Self.currencies.contains(currency.uppercased())
        let valid = known && rate.valid && day.valid
        Self.expect(response, valid: valid, success: 200, "rate \(currency) \(rate.text) on \(day.text)")
        if !rate.valid && known && day.valid { #expect(response.problemFields == ["rate:format"]) }
        count("rate", response.status == 200)
        if response.status == 200 { rates[currency.uppercased(), default: [:]][day.text] = rate.text }
    }

    mutating func budget(_ probe: inout Probe) async throws {
        let year = gen.chance(70) ? "2026" : gen.yearQuery()
        let center = gen.chance(85) ? "CC-FIN" : gen.pick(["CC-IT", "CC-NOPE"])
        let kind = gen.chance(95) ? gen.pick(Self.kinds) : "nope"
        let category = gen.pick(Self.categories)
        let amount = gen.amount()
        let currency = gen.chance(85) ? gen.pick(["BRL"] + Self.currencies) : gen.pick(["usd", "EURO", "B"])
        let response = try await probe.send(
            "PUT", "\(Self.api)/budgets/\(year)/\(center)/\(kind)/\(category)", json: #"{"amount":\#(amount.json),"currency":"\#(currency)"}"#)
        let valid =
            Int(year).map { (2000...2200).contains($0) } == true && center != "CC-NOPE" && kind != "nope" && amount.within(0...MoneyExtremesTests.max)
            && Money.isCurrencyCode(currency)
        Self.expect(response, valid: valid, success: 200, "budget \(year) \(center) \(kind) \(amount.json) \(currency)")
        if amount.value != nil && !amount.within(0...MoneyExtremesTests.max) { #expect(response.problemFields.contains("amount:out-of-range")) }
        count("budget", response.status == 200)
        if response.status == 200 && year == "2026" && center == "CC-FIN" { lines["\(kind)/\(category)"] = (amount.value!, currency) }
    }

    mutating func expense(_ probe: inout Probe) async throws {
        let day = gen.chance(75) ? Sample(text: gen.day2026(), valid: true) : gen.date()
        let amount = gen.amount()
        let currency = gen.chance(90) ? gen.pick(["BRL", "BRL"] + Self.currencies) : gen.pick(["EUR", "usd", "US"])
        let line = "\(gen.pick(Self.kinds))/\(gen.pick(Self.categories))"
        let parts = line.split(separator: "/").map(String.init)
        let response = try await probe.send(
            "POST", "\(Self.api)/expenses",
            json: MoneyExtremesTests.expense(amount.json, currency: currency, on: day.text, costCenter: "CC-FIN", kind: parts[0], category: parts[1]))
        let inBounds = amount.within(-MoneyExtremesTests.max...MoneyExtremesTests.max) && amount.value != 0
        if !inBounds || !day.valid || !Money.isCurrencyCode(currency) {
            #expect((400..<500).contains(response.status), "expense \(amount.json) \(currency) \(day.text)")
            if amount.value != nil && !inBounds { #expect(response.problemFields.contains("amount:out-of-range"), "expense \(amount.json)") }
        } else if currency == "EUR" {
            // A currency without a rate: refused before anything is written.
            #expect(response.status == 409, "expense in EUR")
        } else {
            // Written, or refused because it (or its line's total) leaves 64 bits once converted.
            #expect(
                response.status == 201 || (response.status == 422 && response.problemType == "out-of-range"), "expense \(amount.json) \(currency) \(day.text)")
        }
        count("expense", response.status == 201)
        if response.status == 201 { expenses.append((day.text, amount.value!, currency, line)) }
    }

    mutating func model(_ probe: inout Probe) async throws {
        let name = "Model \(next())"
        let (life, cost) = (gen.count(1...600), gen.amount())
        let currency = gen.pick(["BRL", "USD", "JPY"])
        let response = try await probe.send(
            "POST", "\(Self.api)/asset-models",
            json: """
                {"name":"\(name)","manufacturer":"Acme","category":"\(gen.pick(["laptop", "printer", "network"]))","expectedLifeMonths":\(life.json),"unitCost":\(cost.json),"currency":"\(currency)"}
                """)
        let valid = life.within(1...600) && cost.within(0...MoneyExtremesTests.max)
        Self.expect(response, valid: valid, success: 201, "model life \(life.json) cost \(cost.json)")
        count("model", response.status == 201)
        if response.status == 201 { models.append(name) }
    }

    static let methods: [Sample] = [
        Sample(text: "straight-line", valid: true), Sample(text: "declining-balance", valid: true), Sample(text: "declining-balance:2", valid: true),
        Sample(text: "declining-balance:4", valid: true), Sample(text: "declining-balance:0.0001", valid: true),
        Sample(text: "declining-balance:1e-300", valid: true),
        Sample(text: "declining-balance:5e-324", valid: true), Sample(text: "declining-balance:4.0000001", valid: false),
        Sample(text: "declining-balance:0", valid: false),
        Sample(text: "declining-balance:-1", valid: false), Sample(text: "declining-balance:nan", valid: false),
        Sample(text: "declining-balance:inf", valid: false),
        Sample(text: "sum-of-years", valid: false),
    ]

    /// An asset over JSON; some are then retired and disposed of for a random value.
    mutating func asset(_ probe: inout Probe) async throws {
        let tag = "J-\(next())"
        let (day, cost) = (gen.date(), gen.amount())
        let salvage: Number? = gen.chance(40) ? gen.amount() : nil
        let life: Number? = gen.chance(50) ? gen.count(1...600) : nil
        let method: Sample? = gen.chance(40) ? gen.pick(Self.methods) : nil
        var body =
            #"{"tag":"\#(tag)","model":"\#(gen.pick(models))","site":"SP-HQ","costCenter":"CC-IT","purchaseOrder":"PO-\#(gen.below(3))","purchaseDate":"\#(day.text)","#
        body += #""cost":\#(cost.json),"currency":"\#(gen.pick(["BRL", "BRL", "JPY", "KWD"]))""#
        if let salvage { body += #","salvage":\#(salvage.json)"# }
        if let life { body += #","lifeMonths":\#(life.json)"# }
        if let method { body += #","depreciation":"\#(method.text)""# }
        let response = try await probe.send("POST", "\(Self.api)/assets", json: body + "}")
        let bound = 0...MoneyExtremesTests.max
        let valid =
            day.valid && cost.within(bound) && (salvage.map { $0.within(bound) && $0.value! <= cost.value ?? 0 } ?? true)
            && (life?.within(1...600) ?? true) && (method?.valid ?? true)
        Self.expect(response, valid: valid, success: 201, "asset \(body)")
        count("asset", response.status == 201)
        guard response.status == 201 else { return }
        tags.append(tag)
        guard gen.chance(60) else { return }
        #expect(
            try await probe.send("POST", "\(Self.api)/assets/\(tag)/transition", json: #"{"status":"retired"}"#, headers: ["If-Match": "\"1\""]).status == 200)
        let value = gen.amount()
        let disposed = try await probe.send(
            "POST", "\(Self.api)/assets/\(tag)/transition", json: #"{"status":"disposed","disposal":{"method":"sold","value":\#(value.json)}}"#,
            headers: ["If-Match": "\"2\""])
        Self.expect(disposed, valid: value.within(bound), success: 200, "disposal value \(value.json)")
        if value.value != nil && !value.within(bound) { #expect(disposed.problemFields.contains("disposal.value:out-of-range")) }
        count("disposal", disposed.status == 200)
    }

    /// A small CSV file with random amounts, dates, lives and disposals; a row whose cost breaks
    /// the rule has a row error on cost, and one whose cost keeps it has none.
    mutating func importAssets(_ probe: inout Probe) async throws {
        var rows: [String] = [AssetImportTests.header]
        var costValid: [Bool] = []
        for _ in 0..<(3 + gen.below(10)) {
            let status = gen.pick(["in-stock", "in-stock", "retired", "disposed"])
            let currency = gen.pick(["BRL", "BRL", "JPY", "KWD"])
            let cost = gen.moneyText()
            var values = [
                "tag": "C-\(next())", "model": gen.pick(models), "status": status, "site": "SP-HQ", "cost_center": "CC-IT",
                "purchase_order": "PO-\(gen.below(3))",
                "purchase_date": gen.date().text, "cost": cost, "currency": currency,
            ]
            if gen.chance(40) { values["salvage"] = gen.moneyText() }
            if gen.chance(40) { values["life_months"] = gen.pick(["1", "600", "601", "0", "-1", "36", "99999999999999999999", "1.0", "12"]) }
            if gen.chance(30) { values["depreciation"] = gen.pick(Self.methods).text }
            if status != "in-stock" { values["retired_on"] = gen.date().text }
            if status == "disposed" { values["disposal_method"] = "sold"; values["disposal_value"] = gen.moneyText() }
            rows.append(AssetImportTests.row(values))
            costValid.append(Gen.minorUnits(cost, currency: currency) != nil)
        }
        let response = try await probe.send("POST", "\(Self.api)/imports/assets?name=random.csv", csv: rows.joined(separator: "\n"))
        #expect(response.status == 200)
        guard response.status == 200 else { return }
        let report = try response.decode(AssetImportReport.self)
        #expect(report.rows == costValid.count && report.created + report.updated + report.unchanged + report.rejected == report.rows)
        let costErrors = Set(report.errors.filter { $0.field == "cost" }.map(\.line))
        #expect(costErrors == Set(costValid.indices.filter { !costValid[$0] }.map { $0 + 2 }), "cost row errors \(report.errors) for \(rows)")
        count("import", report.created > 0)
        count("import", report.rejected == 0)
    }

    mutating func purchaseOrder(_ probe: inout Probe) async throws {
        let response = try await probe.send("POST", "\(Self.api)/expenses/from-purchase-order", json: #"{"purchaseOrder":"PO-\#(gen.below(4))"}"#)
        #expect(response.status < 500, "purchase order → \(response.status) \(response.text.prefix(200))")
    }

    mutating func contract(_ probe: inout Probe) async throws {
        let start = gen.date()
        let (initial, period, amount) = (
            gen.count(1...240),
            gen.chance(80) ? Number(Int64(gen.pick([1, 3, 6, 12]))) : gen.pick([Number(0), Number(2), Number(-1), Number(24), Number(Int64.max)]),
            gen.amount()
        )
        let tacit = gen.chance(30)
        let renewal: Number? = gen.chance(40) ? gen.count(0...240) : nil
        var notice = ""
        var noticeValid = true
        switch gen.below(10) {
        case 0: noticeValid = false
        case 1: notice = #","noticeDays":30,"noticeMonths":1"#; noticeValid = false
        case 2..<6: let days = gen.count(0...730); notice = #","noticeDays":\#(days.json)"#; noticeValid = days.within(0...730)
        default: let months = gen.count(0...24); notice = #","noticeMonths":\#(months.json)"#; noticeValid = months.within(0...24)
        }
        var body =
            #"{"vendor":"Vivo","type":"\#(gen.pick(ContractType.allCases).rawValue)","title":"Link","site":"RJ-NET","costCenter":"CC-NET","start":"\#(start.text)","#
        body += #""initialTermMonths":\#(initial.json),"tacitRenewal":\#(tacit),"billingPeriodMonths":\#(period.json),"billingAmount":\#(amount.json),"#
        body += #""currency":"\#(gen.pick(["BRL", "USD"]))""# + notice
        if let renewal { body += #","renewalTermMonths":\#(renewal.json)"# }
        let response = try await probe.send("POST", "\(Self.api)/contracts", json: body + "}")
        let effectiveRenewal = renewal?.value ?? (tacit ? initial.value ?? 0 : 0)
        let valid =
            start.valid && initial.within(1...240) && (renewal?.within(0...240) ?? true) && (!tacit || effectiveRenewal > 0) && noticeValid
            && [1, 3, 6, 12].contains(period.value ?? 0) && amount.within(0...MoneyExtremesTests.max)
        Self.expect(response, valid: valid, success: 201, "contract \(body)")
        count("contract", response.status == 201)
        if response.status == 201, case .object(let members)? = response.json, case .string(let reference)? = members["reference"] {
            contracts.append(reference)
        }
    }

    mutating func postCosts(_ probe: inout Probe, through: String) async throws {
        let response = try await probe.send("POST", "\(Self.api)/contracts/post-costs", json: #"{"through":"\#(through)"}"#)
        Self.expect(response, valid: Gen.isInputDate(through), success: 200, "post costs through \(through)")
        postings += 1
    }

    mutating func requirement(_ probe: inout Probe) async throws {
        let (cost, day) = (gen.amount(), gen.date())
        let desired = gen.chance(70) ? #","desiredDate":"\#(day.text)""# : ""
        let response = try await probe.send(
            "POST", "\(Self.api)/requirements",
            json: """
                {"title":"More laptops","businessNeed":"Growth","site":"SP-HQ","priority":"high","estimatedCost":\(cost.json),"currency":"BRL"\(desired)}
                """)
        let valid = cost.within(0...MoneyExtremesTests.max) && (desired.isEmpty || day.valid)
        Self.expect(response, valid: valid, success: 201, "requirement \(cost.json) \(desired)")
        if cost.value != nil && !cost.within(0...MoneyExtremesTests.max) { #expect(response.problemFields.contains("estimatedCost:out-of-range")) }
        count("requirement", response.status == 201)
    }

    /// The forecast's assumptions: headcount by quarter, devices per person, replacement rules.
    mutating func assumption(_ probe: inout Probe) async throws {
        switch gen.below(4) {
        case 0, 1:
            let (quarter, delta) = (gen.quarter(), gen.count(-100_000...100_000))
            let response = try await probe.send("PUT", "\(Self.api)/forecast/headcount/SP-HQ/\(quarter.text)", json: #"{"delta":\#(delta.json)}"#)
            let valid = quarter.valid && delta.within(-100_000...100_000)
            Self.expect(response, valid: valid, success: 204, "headcount \(quarter.text) \(delta.json)")
            count("headcount", response.status == 204)
        case 2:
            let ratio =
                gen.chance(50)
                ? gen.pick(["1", "0.25", "20", "20.0001", "0", "99.9999", "100", "1e1", "-1", "0.00001", "", "12345678901234"])
                : "\(gen.below(25)).\(gen.digits(1 + gen.below(4)))"
            let model = gen.pick(models).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""
            let response = try await probe.send("PUT", "\(Self.api)/forecast/devices-per-person/\(model)", json: #"{"perPerson":"\#(ratio)"}"#)
            let valid = Gen.decimal(ratio, wholeDigits: 2, fractionDigits: 4).map { $0.0 <= 20 * $0.1 } ?? false
            Self.expect(response, valid: valid, success: 204, "devices per person \(ratio)")
        default:
            let rule = gen.pick([
                "end-of-life", "warranty-end", "age:1", "age:600", "age:601", "age:0", "age:-1", "age:9223372036854775808", "age:1.5", "age:36",
            ])
            let response = try await probe.send(
                "PUT", "\(Self.api)/forecast/replacement-rules/\(gen.pick(["laptop", "printer", "network"]))", json: #"{"rule":"\#(rule)"}"#)
            let months = rule.hasPrefix("age:") ? Int(rule.dropFirst(4)) : nil
            let valid = !rule.hasPrefix("age:") || months.map { (1...600).contains($0) } == true
            Self.expect(response, valid: valid, success: 204, "replacement rule \(rule)")
        }
    }

    // MARK: Reads

    /// A read of a money report by the auditor (or the manager), with random parameters. The
    /// forecast's parameters are checked exactly; its figures may leave 64 bits (out-of-range).
    mutating func read(_ probe: inout Probe) async throws {
        let who: Probe.Who = gen.chance(70) ? .auditor : .manager
        switch gen.below(9) {
        case 0: try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=\(gen.yearQuery())&asOf=\(gen.date().text)", as: who)
        case 1: try await probe.send("GET", "\(Self.api)/reports/book-value?asOf=\(gen.date().text)", as: who)
        case 2: try await probe.send("GET", "\(Self.api)/reports/depreciation?fiscalYear=\(gen.yearQuery())", as: who)
        case 3:
            guard let tag = tags.isEmpty ? nil : gen.pick(tags) else { return }
            #expect(try await probe.send("GET", "\(Self.api)/assets/\(tag)/depreciation", as: who).status == 200)
        case 4:
            let (from, quarters) = (gen.quarter(), gen.quartersQuery())
            let response = try await probe.send("GET", "\(Self.api)/forecast?from=\(from.text)&quarters=\(quarters)", as: who)
            let valid = from.valid && Int(quarters).map { (1...16).contains($0) } == true
            #expect(
                valid ? (response.status == 200 || response.problemType == "out-of-range") : [400, 422].contains(response.status),
                "forecast \(from.text) \(quarters)")
            count("forecast", response.status == 200)
        case 5:
            let name = gen.pick(ITReports.Name.allCases).rawValue
            try await probe.send(
                "GET",
                "\(Self.api)/report-documents/\(name)?format=\(gen.pick(["json", "csv", "html"]))&fiscalYear=\(gen.yearQuery())&quarters=\(gen.quartersQuery())",
                as: who)
        case 6: try await probe.send("GET", "\(Self.api)/expenses?from=\(gen.date().text)&to=\(gen.date().text)", as: who)
        case 7:
            guard let reference = contracts.isEmpty ? nil : gen.pick(contracts) else { return }
            #expect(try await probe.send("GET", "\(Self.api)/contracts/\(reference)", as: who).status == 200)
        default:
            try await probe.send("GET", "\(Self.api)/contracts?upcomingWithinDays=\(gen.pick(["1", "730", "731", "0", "90", "99999999999999999999"]))", as: who)
        }
    }

    // MARK: The end

    /// The server answers; SP-FIN's budget report equals the model; and a new office's ordinary
    /// budget and expense report as they would on a fresh server.
    mutating func finish(_ probe: inout Probe) async throws {
        #expect(try await probe.healthz() == 200)
        let report = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026&site=SP-FIN&asOf=2026-06-10", as: .auditor)
        if let expected = expectedReport() {
            #expect(report.status == 200, "SP-FIN budget report → \(report.status) \(report.text.prefix(300))")
            if report.status == 200 {
                let got = try report.decode(BudgetReport.self).lines.map {
                    Line(
                        key: "\($0.kind.rawValue)/\($0.category.rawValue)", budget: $0.budget, actual: $0.actual,
                        remaining: $0.remaining, runRate: $0.runRateForecast)
                }
                #expect(got.sorted { $0.key < $1.key } == expected)
            }
        } else {
            #expect(report.status == 422 && report.problemType == "out-of-range", "SP-FIN budget report → \(report.status) \(report.text.prefix(300))")
        }
        try await probe.office("OK-HQ", region: "BR-SP", costCenter: "CC-OK")
        #expect(try await probe.send("PUT", "\(Self.api)/budgets/2026/CC-OK/opex/software", json: #"{"amount":1000000,"currency":"BRL"}"#).status == 200)
        #expect(
            try await probe.send("POST", "\(Self.api)/expenses", json: MoneyExtremesTests.expense("250000", on: "2026-03-01", costCenter: "CC-OK")).status
                == 201)
        let normal = try await probe.send("GET", "\(Self.api)/reports/budget?fiscalYear=2026&site=OK-HQ", as: .auditor)
        let line = try #require(try normal.decode(BudgetReport.self).lines.first)
        #expect(normal.status == 200 && line.budget == 1_000_000 && line.actual == 250_000 && line.remaining == 750_000 && line.alerts.isEmpty)
    }

    struct Line: Equatable {
        let key: String
        let budget: Int64
        let actual: Int64
        let remaining: Int64
        let runRate: Int64
    }

    /// SP-FIN's lines as the report must give them, or nil when one of its figures leaves 64 bits.
    func expectedReport() -> [Line]? {
        var result: [Line] = []
        for (key, line) in lines.sorted(by: { $0.key < $1.key }) {
            guard let budget = convert(line.amount, line.currency, on: "2026-01-01") else { return nil }
            var actual: Int128 = 0
            for expense in expenses where expense.line == key && expense.day >= "2026-01-01" && expense.day <= "2026-12-31" {
                guard let value = convert(expense.amount, expense.currency, on: expense.day) else { return nil }
                actual += Int128(value)
            }
            // 10 June is day 161 of 365: the run rate carries the actual to the year's end (truncated).
            guard let total = Int64(exactly: actual), let remaining = Int64(exactly: Int128(budget) - actual), let runRate = Int64(exactly: actual * 365 / 161)
            else { return nil }
            result.append(Line(key: key, budget: budget, actual: total, remaining: remaining, runRate: runRate))
        }
        return result
    }

    /// Minor units of `currency` in reais at the rate in force on `day`, exactly: the amount times
    /// the rate's fraction, moved by the difference in decimals, rounded half to even. Nil when it
    /// leaves 64 bits.
    func convert(_ minor: Int64, _ currency: String, on day: String) -> Int64? {
        guard currency != "BRL" else { return minor }
        guard let text = rates[currency]?.filter({ $0.key <= day }).max(by: { $0.key < $1.key })?.value, let (rate, scale) = Gen.rateValue(text) else {
            return nil
        }
        var numerator = Int128(minor) * rate
        var denominator = scale
        let shift = 2 - Money.minorDigits(currency)
        for _ in 0..<Swift.max(0, shift) { numerator *= 10 }
        for _ in 0..<Swift.max(0, -shift) { denominator *= 10 }
        var quotient = numerator / denominator
        let twice = (numerator % denominator).magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) { quotient += numerator < 0 ? -1 : 1 }
        return Int64(exactly: quotient)
    }
}
