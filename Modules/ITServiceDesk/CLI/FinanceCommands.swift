import ArgumentParser
import Calendars
import Foundation
import Kernel
import Monetary

struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Exchange rates, budget lines, expenses and budget against actual.",
        subcommands: [SetRate.self, Set.self, Expense.self, FromPurchaseOrder.self, Report.self])

    struct SetRate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-rate", abstract: "A currency's rate to the reporting currency from a date on.")
        @OptionGroup var global: GlobalOptions
        @Option var currency: String
        @Option(help: "YYYY-MM-DD", transform: ArgumentValue.date) var effectiveOn: LocalDate
        @Option(help: "Reporting currency per 1 unit, e.g. 5.4321.") var rate: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let entry = try await BudgetService(context: session.context).setRate(
                    currency: currency.uppercased(), effectiveOn: effectiveOn, rate: rate, by: session.invocation)
                try session.output.emit(entry) {
                    Table.record([("currency", entry.currency), ("from", entry.effectiveOn.description), ("rate", "\(entry.rate) \(entry.reportingCurrency)")])
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set a budget line.",
            discussion:
                "Example: vigil it-service-desk budget set --fiscal-year 2027 --cost-center CC-IT --kind capex --category hardware --amount 250000.00 --currency BRL"
        )
        @OptionGroup var global: GlobalOptions
        @Option var fiscalYear: Int
        @Option var costCenter: String
        @Option(help: "capex or opex.") var kind: String
        @Option(help: "\(SpendCategory.allCases.map(\.rawValue).joined(separator: ", ")).") var category: String
        @Option(help: "In the currency's units, e.g. 250000.00.") var amount: String
        @Option var currency: String

        func run() async throws {
            guard let minor = MoneyText.minorUnits(amount, currency: currency.uppercased()) else {
                throw CommandFailure.usage("--amount must be an amount like 250000.00")
            }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let line = try await BudgetService(context: session.context).setLine(
                    fiscalYear: fiscalYear, costCenter: costCenter, kind: kind, category: category,
                    amount: minor, currency: currency.uppercased(), by: session.invocation)
                try session.output.emit(line) {
                    Table.record([
                        ("line", "\(line.fiscalYear) \(line.costCenter) \(line.kind.rawValue) \(line.category.rawValue)"),
                        ("amount", "\(line.currency) \(MoneyText.text(line.amount, currency: line.currency))"),
                    ])
                }
            }
        }
    }

    struct Expense: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "expense", abstract: "Record an expense (manual or from a purchase order).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "YYYY-MM-DD") var spentOn: String
        @Option var costCenter: String
        @Option var kind: String
        @Option var category: String
        @Option(help: "In the currency's units; negative for a credit.") var amount: String
        @Option var currency: String
        @Option(help: "The purchase order number, if it comes from one.") var purchaseOrder: String?
        @Option var description: String

        func run() async throws {
            let negative = amount.hasPrefix("-")
            guard let magnitude = MoneyText.minorUnits(negative ? String(amount.dropFirst()) : amount, currency: currency.uppercased()) else {
                throw CommandFailure.usage("--amount must be an amount like 1234.56")
            }
            let input = BudgetService.ExpenseInput(
                spentOn: spentOn, costCenter: costCenter, kind: kind, category: category, amount: negative ? -magnitude : magnitude,
                currency: currency.uppercased(), source: purchaseOrder == nil ? "manual" : "purchase-order", sourceRef: purchaseOrder,
                description: description)
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let expense = try await BudgetService(context: session.context).record(input, by: session.invocation)
                try session.output.emit(expense) {
                    Table.record([("expense", expense.id), ("amount", "\(expense.currency) \(MoneyText.text(expense.amount, currency: expense.currency))")])
                }
            }
        }
    }

    struct FromPurchaseOrder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "from-purchase-order", abstract: "Record the capex of the assets bought on a purchase order.")
        @OptionGroup var global: GlobalOptions
        @Argument var purchaseOrder: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let expenses = try await BudgetService(context: session.context).recordPurchaseOrder(purchaseOrder, by: session.invocation)
                try session.output.emit(expenses) {
                    Table(
                        ["cost center", "spent on", "amount", "description"],
                        expenses.map {
                            [$0.costCenter, $0.spentOn.description, "\($0.currency) \(MoneyText.text($0.amount, currency: $0.currency))", $0.description]
                        })
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Budget against actual, run-rate forecast and alerts.")
        @OptionGroup var global: GlobalOptions
        @Option var fiscalYear: Int
        @Option var site: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let today = LocalDate(of: session.context.clock.now(), in: "UTC")
                let report = try await BudgetService(context: session.context).report(fiscalYear: fiscalYear, site: site, asOf: today, by: session.principal)
                let money = { (value: Int64) in MoneyText.text(value, currency: report.reportingCurrency) }
                try session.output.emit(report) {
                    Table(
                        ["cost center", "kind", "category", "budget", "actual", "used %", "run rate", "alerts"],
                        report.lines.map {
                            [
                                $0.costCenter, $0.kind.rawValue, $0.category.rawValue, money($0.budget), money($0.actual),
                                $0.usedPercent.map { String(format: "%.1f", $0) } ?? "-",
                                money($0.runRateForecast), $0.alerts.map { "\($0)%" }.joined(separator: " "),
                            ]
                        })
                }
            }
        }
    }
}

struct ContractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract", abstract: "Contracts and leases: terms, derived dates, notice, costs.",
        subcommands: [Add.self, List.self, Show.self, Terminate.self, PostCosts.self])

    static func detail(_ contract: Contract) -> Table {
        Table.record([
            ("reference", contract.reference), ("vendor", contract.vendor), ("type", contract.type.rawValue), ("site", contract.site),
            ("status", contract.state.status.rawValue), ("term", "\(contract.state.term) (\(contract.state.termStart) to \(contract.state.termEnd))"),
            ("notice deadline", contract.state.noticeDeadline.description), ("next renewal", contract.state.nextRenewal?.description ?? "none"),
            (
                "billing",
                "\(contract.currency) \(MoneyText.text(contract.billingAmount, currency: contract.currency)) every \(contract.billingPeriodMonths) months"
            ),
            ("notice given", contract.noticeGivenOn?.description ?? "-"), ("version", String(contract.version)),
        ])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Record a contract or lease.",
            discussion:
                "Example: vigil it-service-desk contract add --vendor Vivo --type network-link-lease --title 'SP-HQ 1 Gbps' --site SP-HQ --cost-center CC-IT --start 2026-01-31 --initial-term-months 12 --notice-days 60 --tacit-renewal --billing-period-months 1 --billing-amount 3500.00 --currency BRL"
        )
        @OptionGroup var global: GlobalOptions
        @Option var vendor: String
        @Option(help: "\(ContractType.allCases.map(\.rawValue).joined(separator: ", ")).") var type: String
        @Option var title: String
        @Option var site: String
        @Option var costCenter: String?
        @Option(help: "YYYY-MM-DD") var start: String
        @Option var initialTermMonths: Int
        @Option var renewalTermMonths: Int?
        @Option var noticeDays: Int?
        @Option var noticeMonths: Int?
        @Flag var tacitRenewal = false
        @Option var billingPeriodMonths: Int = 1
        @Option(help: "Per period, in the currency's units.") var billingAmount: String
        @Option var currency: String
        @Option var circuitId: String?
        @Option var bandwidthMbps: Int?
        @Option var provider: String?
        @Option(name: .customLong("asset")) var assets: [String] = []

        func run() async throws {
            guard let amount = MoneyText.minorUnits(billingAmount, currency: currency.uppercased()) else {
                throw CommandFailure.usage("--billing-amount must be an amount like 3500.00")
            }
            let input = ContractInput(
                vendor: vendor, type: type, title: title, site: site, costCenter: costCenter, start: start, initialTermMonths: initialTermMonths,
                renewalTermMonths: renewalTermMonths, noticeDays: noticeDays, noticeMonths: noticeMonths, tacitRenewal: tacitRenewal,
                billingPeriodMonths: billingPeriodMonths, billingAmount: amount, currency: currency.uppercased(), circuitId: circuitId,
                bandwidthMbps: bandwidthMbps, provider: provider, assets: assets)
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let contract = try await ContractService(context: session.context).create(input, by: session.invocation)
                try session.output.emit(contract) { ContractCommand.detail(contract) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List contracts; --upcoming DAYS for notice deadlines and ends that are near.")
        @OptionGroup var global: GlobalOptions
        @Option var site: String?
        @Option var upcoming: Int?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let contracts = try await ContractService(context: session.context).list(site: site, upcomingWithinDays: upcoming, by: session.principal)
                try session.output.emit(contracts) {
                    Table(
                        ["reference", "vendor", "site", "status", "term end", "notice deadline", "next renewal"],
                        contracts.map {
                            [
                                $0.reference, $0.vendor, $0.site, $0.state.status.rawValue, $0.state.termEnd.description, $0.state.noticeDeadline.description,
                                $0.state.nextRenewal?.description ?? "-",
                            ]
                        })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a contract with its derived dates.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let contract = try await ContractService(context: session.context).get(id, by: session.principal)
                try session.output.emit(contract) { ContractCommand.detail(contract) }
            }
        }
    }

    struct Terminate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "terminate", abstract: "Record the notice of termination.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: String
        @Option var expectVersion: Int
        @Option(help: "YYYY-MM-DD; default today.") var noticeGivenOn: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let contract = try await ContractService(context: session.context).terminate(
                    id, noticeGivenOn: noticeGivenOn.flatMap(LocalDate.init(input:)), expectedVersion: expectVersion,
                    by: session.invocation)
                try session.output.emit(contract) { ContractCommand.detail(contract) }
            }
        }
    }

    struct PostCosts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-costs", abstract: "Post billing periods that started by a day as expenses (each once).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "YYYY-MM-DD", transform: ArgumentValue.date) var through: LocalDate

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                try session.principal.require(ITServiceDeskPermissions.budgetManage)
                let posted = try await ContractService(context: session.context).postCosts(through: through, by: session.invocation)
                session.output.line(session.output.json ? "{\"posted\":\(posted)}" : "\(posted) billing periods posted")
            }
        }
    }
}

struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast", abstract: "The purchase forecast and its assumptions.",
        subcommands: [Run.self, Headcount.self, DevicesPerPerson.self, ReplacementRule.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "What to buy in the next quarters, and why.")
        @OptionGroup var global: GlobalOptions
        @Option var quarters: Int = 8
        @Option(help: "First quarter, e.g. 2027-Q1; default this quarter.") var from: String?
        @Option var site: String?

        func run() async throws {
            let first = try from.map { text -> Quarter in
                guard let quarter = Quarter(text) else { throw CommandFailure.usage("--from must be a quarter like 2027-Q1") }
                return quarter
            }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let report = try await PurchaseForecast(context: session.context).run(quarters: quarters, from: first, site: site, by: session.principal)
                try session.output.emit(report) {
                    Table(
                        ["quarter", "site", "category", "model", "reason", "quantity", "cost"],
                        report.lines.map {
                            [
                                $0.quarter.description, $0.site, $0.category, $0.model ?? "-", $0.reason.rawValue, String($0.quantity),
                                MoneyText.text($0.cost, currency: report.reportingCurrency),
                            ]
                        })
                }
                session.output.note("\(report.assetsRead) assets read in \(String(format: "%.2f", report.seconds)) s")
            }
        }
    }

    struct Headcount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "headcount", abstract: "A site's planned headcount change in a quarter.")
        @OptionGroup var global: GlobalOptions
        @Option var site: String
        @Option var quarter: String
        @Option(help: "People joining (negative: leaving).") var delta: Int

        func run() async throws {
            guard let parsed = Quarter(quarter) else { throw CommandFailure.usage("--quarter must be like 2027-Q1") }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                try await PurchaseForecast(context: session.context).setHeadcount(site: site, quarter: parsed, delta: delta, by: session.invocation)
                session.output.note("\(site) \(parsed): \(delta > 0 ? "+" : "")\(delta) people")
            }
        }
    }

    struct DevicesPerPerson: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "devices-per-person", abstract: "How many of a model each new person needs.")
        @OptionGroup var global: GlobalOptions
        @Option var model: String
        @Option var perPerson: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                try await PurchaseForecast(context: session.context).setDevicesPerPerson(model: model, perPerson: perPerson, by: session.invocation)
                session.output.note("\(model): \(perPerson) per person")
            }
        }
    }

    struct ReplacementRule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replacement-rule", abstract: "When a category is replaced: end-of-life, warranty-end or age:MONTHS.")
        @OptionGroup var global: GlobalOptions
        @Option var category: String
        @Option var rule: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                try await PurchaseForecast(context: session.context).setReplacementRule(category: category, rule: rule, by: session.invocation)
                session.output.note("\(category): replaced at \(rule)")
            }
        }
    }
}

struct ITReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "A report as a table, JSON, CSV or HTML with SVG charts.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "\(ITReports.Name.allCases.map(\.rawValue).joined(separator: ", ")).") var name: ITReports.Name
    @Option(help: "text, csv or html (--json for JSON).") var format: String = "text"
    @Option var fiscalYear: Int?
    @Option var quarters: Int?
    @Option var site: String?

    func run() async throws {
        let report = name
        try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
            let document = try await ITReports(context: session.context).build(
                report, ITReports.Parameters(fiscalYear: fiscalYear, quarters: quarters, site: site), by: session.principal)
            switch (session.output.json, format) {
            case (true, _): try session.output.emit(document) { Table([], []) }
            case (false, "csv"): session.output.line(document.csv)
            case (false, "html"): session.output.line(document.html)
            default:
                session.output.line("\(document.title): \(document.subtitle)")
                for section in document.sections {
                    session.output.line("\n\(section.title)")
                    session.output.line(Table(section.columns, section.rows).rendered)
                }
            }
        }
    }
}
