import Calendars
import Foundation
import Kernel
import Monetary

/// Budgets, expenses, exchange rates, contracts, the purchase forecast and the report documents.
struct FinanceEndpoints {
    let budgets: BudgetService
    let contracts: ContractService
    let forecast: PurchaseForecast
    let reports: ITReports

    var all: [Endpoint] {
        [
            setRate, listRates, setBudget, recordExpense, recordPurchaseOrder, listExpenses, budgetReport, createContract, listContracts, showContract,
            terminateContract,
            postContractCosts, runForecast, setHeadcount, setDevicesPerPerson, setReplacementRule, report,
        ]
    }

    static let rate: Schema = .named(
        "ExchangeRate",
        .object([
            .required("currency", .string(.init())), .required("effectiveOn", .date), .required("rate", .string(.init())),
            .required("reportingCurrency", .string(.init())),
        ]))
    static let budgetLine: Schema = .named(
        "BudgetLine",
        .object([
            .required("id", .uuid), .required("fiscalYear", .integer()), .required("costCenter", .string(.init())), .required("site", .string(.init())),
            .required("kind", .enumeration(SpendKind.allCases.map(\.rawValue))), .required("category", .enumeration(SpendCategory.allCases.map(\.rawValue))),
            .required("amount", .integer()), .required("currency", .string(.init())), .required("version", .integer()),
        ]))
    static let expense: Schema = .named(
        "Expense",
        .object([
            .required("id", .uuid), .required("spentOn", .date), .required("costCenter", .string(.init())),
            .required("kind", .enumeration(SpendKind.allCases.map(\.rawValue))),
            .required("category", .enumeration(SpendCategory.allCases.map(\.rawValue))), .required("amount", .integer()),
            .required("currency", .string(.init())),
            .required("source", .enumeration(["manual", "purchase-order", "contract"])), .required("sourceRef", .string(.init())),
            .required("description", .string(.init())),
        ]))
    static let budgetReport: Schema = .named(
        "BudgetReport",
        .object([
            .required("fiscalYear", .integer()), .required("reportingCurrency", .string(.init())), .required("asOf", .date),
            .required(
                "lines",
                .array(
                    .object([
                        .required("fiscalYear", .integer()), .required("from", .date), .required("to", .date), .required("site", .string(.init())),
                        .required("costCenter", .string(.init())),
                        .required("kind", .string(.init())), .required("category", .string(.init())), .required("budget", .integer()),
                        .required("actual", .integer()),
                        .required("remaining", .integer()), .optional("usedPercent", .number), .required("runRateForecast", .integer()),
                        .required("alerts", .array(.integer())),
                    ]))),
        ]))
    static let state: Schema = .object([
        .required("status", .enumeration(["active", "in-notice-window", "expiring", "expired", "renewed", "terminated"])), .required("term", .integer()),
        .required("termStart", .date), .required("termEnd", .date), .required("noticeDeadline", .date), .optional("nextRenewal", .date),
    ])
    static let contract: Schema = .named(
        "Contract",
        .object([
            .required("id", .uuid), .required("reference", .string(.init())), .required("vendor", .string(.init())),
            .required("type", .enumeration(ContractType.allCases.map(\.rawValue))),
            .required("title", .string(.init())), .required("site", .string(.init())), .required("region", .string(.init())),
            .optional("costCenter", .string(.init())),
            .required("start", .date), .required("initialTermMonths", .integer()), .required("renewalTermMonths", .integer()),
            .optional("noticeDays", .integer()),
            .optional("noticeMonths", .integer()), .required("tacitRenewal", .boolean), .required("billingPeriodMonths", .integer()),
            .required("billingAmount", .integer()),
            .required("currency", .string(.init())), .optional("circuitId", .string(.init())), .optional("bandwidthMbps", .integer()),
            .optional("provider", .string(.init())),
            .optional("noticeGivenOn", .date), .required("alertDays", .integer()), .required("assets", .array(.string(.init()))),
            .required("version", .integer()),
            .required("state", state, "Derived from the terms on the day it is read: never typed by hand"),
        ]))
    static let contractInput: Schema = .named(
        "ContractInput",
        .object([
            .required("vendor", .string(maxLength: 200)), .required("type", .enumeration(ContractType.allCases.map(\.rawValue))),
            .required("title", .string(maxLength: 200)),
            .required("site", .string(maxLength: 20)), .optional("costCenter", .string(maxLength: 20), "Where its costs are posted"), .required("start", .date),
            .required("initialTermMonths", .integer(minimum: 1, maximum: 240)), .optional("renewalTermMonths", .integer(minimum: 0, maximum: 240)),
            .optional("noticeDays", .integer(minimum: 0, maximum: 730)), .optional("noticeMonths", .integer(minimum: 0, maximum: 24)),
            .required("tacitRenewal", .boolean),
            .required("billingPeriodMonths", .integer()), .required("billingAmount", .money(), "Minor units per period"),
            .required("currency", .string(maxLength: 3)),
            .optional("circuitId", .string(maxLength: 80)), .optional("bandwidthMbps", .integer(minimum: 1)), .optional("provider", .string(maxLength: 200)),
            .optional("alertDays", .integer(minimum: 1, maximum: 365)), .optional("assets", .array(.string(maxLength: 40), maxItems: 500)),
        ]))
    static let forecastReport: Schema = .named(
        "PurchaseForecast",
        .object([
            .required("from", .string(.init())), .required("quarters", .integer()), .required("reportingCurrency", .string(.init())),
            .required(
                "lines",
                .array(
                    .object([
                        .required("quarter", .string(.init())), .required("site", .string(.init())), .required("category", .string(.init())),
                        .optional("model", .string(.init())),
                        .required("reason", .enumeration(["end-of-life", "warranty-end", "age-policy", "overdue", "growth", "expected-failures"])),
                        .required("quantity", .integer()),
                        .required("cost", .integer()), .required("explanation", .string(.init())), .required("assets", .array(.string(.init()))),
                        .required("assetCount", .integer()),
                    ]))),
            .required(
                "budgets",
                .array(
                    .object([
                        .required("site", .string(.init())), .required("fiscalYear", .integer()), .required("forecast", .integer()),
                        .required("budget", .integer()), .required("difference", .integer()),
                    ]))),
            .required("assetsRead", .integer()), .required("seconds", .number),
        ]))
    static let document: Schema = .named(
        "ReportDocument",
        .object([
            .required("title", .string(.init())), .required("subtitle", .string(.init())),
            .required(
                "sections",
                .array(
                    .object([
                        .required("title", .string(.init())), .required("columns", .array(.string(.init()))),
                        .required("rows", .array(.array(.string(.init())))), .optional("chart", .freeObject),
                    ]))),
        ]))

    private struct RateInput: Decodable { let effectiveOn: String; let rate: String }
    static let rateInput: Schema = .named(
        "RateInput", .object([.required("effectiveOn", .date), .required("rate", .string(maxLength: 24), "Reporting currency per 1 unit, e.g. 5.4321")]))

    var setRate: Endpoint {
        Endpoint(
            .put, "/exchange-rates/{currency}", operationID: "setExchangeRate", summary: "Set a currency's rate to the reporting currency from a date on",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.rateInput, responses: [ResponseDoc(200, "The rate", Self.rate)]
        ) { request in
            let input = try request.decode(RateInput.self, schema: Self.rateInput)
            return try .json(
                try await budgets.setRate(
                    currency: request.path("currency").uppercased(), effectiveOn: try LocalDate(input: input.effectiveOn).orInternal("a validated date"),
                    rate: input.rate, by: request.invocation))
        }
    }

    var listRates: Endpoint {
        Endpoint(
            .get, "/exchange-rates", operationID: "listExchangeRates", summary: "The dated rate table", permission: ITServiceDeskPermissions.budgetRead,
            responses: [ResponseDoc(200, "Rates", .array(Self.rate))]
        ) { request in
            try .json(try await budgets.rates(by: request.principal))
        }
    }

    private struct BudgetInput: Decodable { let amount: Int64; let currency: String }
    static let budgetInput: Schema = .named(
        "BudgetInput", .object([.required("amount", .money(), "Minor units"), .required("currency", .string(maxLength: 3))]))

    var setBudget: Endpoint {
        Endpoint(
            .put, "/budgets/{fiscalYear}/{costCenter}/{kind}/{category}", operationID: "setBudgetLine", summary: "Set a budget line of a fiscal year",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.budgetInput, responses: [ResponseDoc(200, "The line", Self.budgetLine)]
        ) { request in
            let input = try request.decode(BudgetInput.self, schema: Self.budgetInput)
            guard let year = Int(request.path("fiscalYear")) else { throw VigilError.invalid("fiscalYear", .format, "must be a year") }
            return try .json(
                try await budgets.setLine(
                    fiscalYear: year, costCenter: request.path("costCenter"), kind: request.path("kind"), category: request.path("category"),
                    amount: input.amount, currency: input.currency, by: request.invocation))
        }
    }

    static let expenseInput: Schema = .named(
        "ExpenseInput",
        .object([
            .required("spentOn", .date), .required("costCenter", .string(maxLength: 20)), .required("kind", .enumeration(SpendKind.allCases.map(\.rawValue))),
            .required("category", .enumeration(SpendCategory.allCases.map(\.rawValue))),
            .required("amount", .money(allowingNegative: true), "Minor units; negative for a credit"),
            .required("currency", .string(maxLength: 3)), .optional("source", .enumeration(["manual", "purchase-order"])),
            .optional("sourceRef", .string(maxLength: 120)),
            .required("description", .string(maxLength: 500)),
        ]))

    var recordExpense: Endpoint {
        Endpoint(
            .post, "/expenses", operationID: "recordExpense", summary: "Record an expense; budget alerts at 80% and 100% follow",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.expenseInput, responses: [ResponseDoc(201, "The expense", Self.expense)],
            idempotent: true
        ) { request in
            let input = try request.decode(BudgetService.ExpenseInput.self, schema: Self.expenseInput)
            return try .json(try await budgets.record(input, by: request.invocation), status: 201)
        }
    }

    private struct OrderInput: Decodable { let purchaseOrder: String }
    static let orderInput: Schema = .named("PurchaseOrderInput", .object([.required("purchaseOrder", .string(maxLength: 80))]))

    var recordPurchaseOrder: Endpoint {
        Endpoint(
            .post, "/expenses/from-purchase-order", operationID: "expensesFromPurchaseOrder",
            summary: "Record the capex of the assets bought on a purchase order, per cost center (again: nothing new)",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.orderInput,
            responses: [ResponseDoc(200, "The expenses recorded now", .array(Self.expense))]
        ) { request in
            let input = try request.decode(OrderInput.self, schema: Self.orderInput)
            return try .json(try await budgets.recordPurchaseOrder(input.purchaseOrder, by: request.invocation))
        }
    }

    var listExpenses: Endpoint {
        Endpoint(
            .get, "/expenses", operationID: "listExpenses", summary: "Expenses in a period", permission: ITServiceDeskPermissions.budgetRead,
            query: [
                QueryParameter("from", .date, "First day"), QueryParameter("to", .date, "Last day"),
                QueryParameter("costCenter", .string(maxLength: 20), "Cost center code"),
            ],
            responses: [ResponseDoc(200, "Expenses", .array(Self.expense))]
        ) { request in
            guard let from = request.query["from"].flatMap(LocalDate.init(input:)), let to = request.query["to"].flatMap(LocalDate.init(input:)) else {
                throw VigilError.invalid("from", .required, "give from and to")
            }
            return try .json(try await budgets.expenses(costCenter: request.query["costCenter"], from: from, to: to, by: request.principal))
        }
    }

    var budgetReport: Endpoint {
        Endpoint(
            .get, "/reports/budget", operationID: "budgetAgainstActual",
            summary: "Budget against actual with run-rate forecast and alerts, in the reporting currency",
            permission: ITServiceDeskPermissions.budgetRead,
            query: [
                QueryParameter("fiscalYear", .integer(minimum: 2000, maximum: 2200), "Fiscal year"),
                QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("asOf", .date, "Default today (UTC)"),
            ],
            responses: [ResponseDoc(200, "The report", Self.budgetReport)]
        ) { request in
            guard let year = request.query["fiscalYear"].flatMap(Int.init) else { throw VigilError.invalid("fiscalYear", .required, "give the fiscal year") }
            let asOf = request.query["asOf"].flatMap(LocalDate.init(input:)) ?? LocalDate(of: request.context.clock.now(), in: "UTC")
            return try .json(try await budgets.report(fiscalYear: year, site: request.query["site"], asOf: asOf, by: request.principal))
        }
    }

    var createContract: Endpoint {
        Endpoint(
            .post, "/contracts", operationID: "createContract", summary: "Record a contract or lease; its dates are derived from the terms",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.contractInput, responses: [ResponseDoc(201, "The contract", Self.contract)],
            idempotent: true
        ) { request in
            let input = try request.decode(ContractInput.self, schema: Self.contractInput)
            let contract = try await contracts.create(input, by: request.invocation)
            return try .json(contract, status: 201, version: contract.version, location: "/api/it-service-desk/contracts/\(contract.reference)")
        }
    }

    var listContracts: Endpoint {
        Endpoint(
            .get, "/contracts", operationID: "listContracts",
            summary: "Contracts; with upcomingWithinDays, those whose notice deadline or end is near, soonest first",
            permission: ITServiceDeskPermissions.budgetRead,
            query: [
                QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("upcomingWithinDays", .integer(minimum: 1, maximum: 730), "Horizon in days"),
            ],
            responses: [ResponseDoc(200, "Contracts", .array(Self.contract))]
        ) { request in
            try .json(
                try await contracts.list(
                    site: request.query["site"], upcomingWithinDays: request.query["upcomingWithinDays"].flatMap(Int.init), by: request.principal))
        }
    }

    var showContract: Endpoint {
        Endpoint(
            .get, "/contracts/{id}", operationID: "getContract", summary: "One contract with its derived dates",
            permission: ITServiceDeskPermissions.budgetRead,
            responses: [ResponseDoc(200, "The contract", Self.contract)]
        ) { request in
            let contract = try await contracts.get(request.path("id"), by: request.principal)
            return try .json(contract, version: contract.version)
        }
    }

    private struct TerminateInput: Decodable { let noticeGivenOn: String? }
    static let terminateInput: Schema = .named("ContractTermination", .object([.optional("noticeGivenOn", .date, "Default today")]))

    var terminateContract: Endpoint {
        Endpoint(
            .post, "/contracts/{id}/terminate", operationID: "terminateContract",
            summary: "Record the notice of termination; the contract ends with the term the notice met",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.terminateInput, responses: [ResponseDoc(200, "The contract", Self.contract)],
            versioned: true
        ) { request in
            let input = try request.decode(TerminateInput.self, schema: Self.terminateInput)
            let contract = try await contracts.terminate(
                request.path("id"), noticeGivenOn: input.noticeGivenOn.flatMap(LocalDate.init(input:)), expectedVersion: try request.requireVersion(),
                by: request.invocation)
            return try .json(contract, version: contract.version)
        }
    }

    private struct PostInput: Decodable { let through: String }
    static let postInput: Schema = .named("PostContractCosts", .object([.required("through", .date, "Post the billing periods that started by this day")]))
    private struct Posted: Encodable { let posted: Int }

    var postContractCosts: Endpoint {
        Endpoint(
            .post, "/contracts/post-costs", operationID: "postContractCosts", summary: "Post contracts' billing periods as expenses (each period once)",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.postInput,
            responses: [ResponseDoc(200, "How many periods were posted now", .object([.required("posted", .integer())]))]
        ) { request in
            let input = try request.decode(PostInput.self, schema: Self.postInput)
            try request.principal.require(ITServiceDeskPermissions.budgetManage)
            return try .json(
                Posted(
                    posted: try await contracts.postCosts(through: try LocalDate(input: input.through).orInternal("a validated date"), by: request.invocation)))
        }
    }

    var runForecast: Endpoint {
        Endpoint(
            .get, "/forecast", operationID: "purchaseForecast", summary: "What to buy in the next quarters and why, against the budget",
            permission: ITServiceDeskPermissions.budgetRead,
            query: [
                QueryParameter("quarters", .integer(minimum: 1, maximum: 16), "Default 8"),
                QueryParameter("from", .string(maxLength: 7), "First quarter, e.g. 2027-Q1"),
                QueryParameter("site", .string(maxLength: 20), "Site code"),
            ],
            responses: [ResponseDoc(200, "The forecast", Self.forecastReport)]
        ) { request in
            var from: Quarter?
            if let text = request.query["from"] {
                guard let quarter = Quarter(text) else { throw VigilError.invalid("from", .format, "must be a quarter like 2027-Q1") }
                from = quarter
            }
            return try .json(
                try await forecast.run(
                    quarters: request.query["quarters"].flatMap(Int.init) ?? 8, from: from, site: request.query["site"], by: request.principal))
        }
    }

    private struct HeadcountInput: Decodable { let delta: Int }
    static let headcountInput: Schema = .named("HeadcountPlan", .object([.required("delta", .integer(), "People joining (negative: leaving)")]))

    var setHeadcount: Endpoint {
        Endpoint(
            .put, "/forecast/headcount/{site}/{quarter}", operationID: "setHeadcountPlan", summary: "A site's planned headcount change in a quarter",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.headcountInput, responses: [ResponseDoc(204, "Set")]
        ) { request in
            let input = try request.decode(HeadcountInput.self, schema: Self.headcountInput)
            guard let quarter = Quarter(request.path("quarter")) else { throw VigilError.invalid("quarter", .format, "must be a quarter like 2027-Q1") }
            try await forecast.setHeadcount(site: request.path("site"), quarter: quarter, delta: input.delta, by: request.invocation)
            return .noContent
        }
    }

    private struct RatioInput: Decodable { let perPerson: String }
    static let ratioInput: Schema = .named("DevicesPerPerson", .object([.required("perPerson", .string(maxLength: 12), "e.g. 1 or 0.25")]))

    var setDevicesPerPerson: Endpoint {
        Endpoint(
            .put, "/forecast/devices-per-person/{model}", operationID: "setDevicesPerPerson", summary: "How many of a model each new person needs",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.ratioInput, responses: [ResponseDoc(204, "Set")]
        ) { request in
            let input = try request.decode(RatioInput.self, schema: Self.ratioInput)
            try await forecast.setDevicesPerPerson(
                model: request.path("model").removingPercentEncoding ?? request.path("model"), perPerson: input.perPerson, by: request.invocation)
            return .noContent
        }
    }

    private struct RuleInput: Decodable { let rule: String }
    static let ruleInput: Schema = .named("ReplacementRule", .object([.required("rule", .string(maxLength: 20), "end-of-life, warranty-end or age:MONTHS")]))

    var setReplacementRule: Endpoint {
        Endpoint(
            .put, "/forecast/replacement-rules/{category}", operationID: "setReplacementRule", summary: "When a category of assets is replaced",
            permission: ITServiceDeskPermissions.budgetManage, requestBody: Self.ruleInput, responses: [ResponseDoc(204, "Set")]
        ) { request in
            let input = try request.decode(RuleInput.self, schema: Self.ruleInput)
            try await forecast.setReplacementRule(category: request.path("category"), rule: input.rule, by: request.invocation)
            return .noContent
        }
    }

    var report: Endpoint {
        Endpoint(
            .get, "/report-documents/{name}", operationID: "itReportDocument",
            summary: "A report as JSON, CSV or HTML with SVG charts: tickets, inventory, depreciation, budget, forecast, renewals",
            permission: ITServiceDeskPermissions.reportRead,
            query: [
                QueryParameter("format", .enumeration(["json", "csv", "html"]), "Default json"), QueryParameter("from", .dateTime, "Tickets: from"),
                QueryParameter("to", .dateTime, "Tickets: to"), QueryParameter("fiscalYear", .integer(minimum: 2000, maximum: 2200), "Depreciation, budget"),
                QueryParameter("quarters", .integer(minimum: 1, maximum: 16), "Forecast"), QueryParameter("site", .string(maxLength: 20), "Site code"),
            ],
            responses: [ResponseDoc(200, "The report", Self.document)] + ResponseDoc.reportDocuments
        ) { request in
            guard let name = ITReports.Name(rawValue: request.path("name")) else {
                throw VigilError(.notFound, "no report \(request.path("name")); reports are \(ITReports.Name.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let query = request.query
            let document = try await reports.build(
                name,
                ITReports.Parameters(
                    from: query["from"].flatMap(ISO8601.parse), to: query["to"].flatMap(ISO8601.parse),
                    fiscalYear: query["fiscalYear"].flatMap(Int.init), quarters: query["quarters"].flatMap(Int.init),
                    site: query["site"]), by: request.principal)
            switch query["format"] ?? "json" {
            case "csv": return EndpointResponse(status: 200, body: Data(document.csv.utf8), contentType: "text/csv; charset=utf-8")
            case "html": return EndpointResponse(status: 200, body: Data(document.html.utf8), contentType: "text/html; charset=utf-8")
            default: return try .json(document)
            }
        }
    }
}
