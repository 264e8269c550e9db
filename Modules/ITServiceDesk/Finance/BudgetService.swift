import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit

public struct BudgetLine: Codable, Sendable, Hashable {
    public let id: String
    public let fiscalYear: Int
    public let costCenter: String
    public let site: String
    public let kind: SpendKind
    public let category: SpendCategory
    public let amount: Int64
    public let currency: String
    public let version: Int
}

public struct Expense: Codable, Sendable, Hashable {
    public let id: String
    public let spentOn: LocalDate
    public let costCenter: String
    public let kind: SpendKind
    public let category: SpendCategory
    public let amount: Int64
    public let currency: String
    /// purchase-order, contract or manual.
    public let source: String
    public let sourceRef: String
    public let description: String
}

/// Budget against actual for one line, all in the reporting currency.
public struct BudgetStatus: Codable, Sendable, Hashable {
    public let fiscalYear: Int
    public let from: LocalDate
    public let to: LocalDate
    public let site: String
    public let costCenter: String
    public let kind: SpendKind
    public let category: SpendCategory
    public let budget: Int64
    public let actual: Int64
    public let remaining: Int64
    /// Actual ÷ budget, as a percentage with one decimal.
    public let usedPercent: Double?
    /// Actual so far carried at the same pace to the year's end.
    public let runRateForecast: Int64
    /// 80 and 100 once crossed.
    public let alerts: [Int]
}

public struct BudgetReport: Codable, Sendable {
    public let fiscalYear: Int
    public let reportingCurrency: String
    public let asOf: LocalDate
    public let lines: [BudgetStatus]
}

/// `it-service-desk.budget.threshold`: a budget line's actual reached 80% or 100% of its budget.
public struct BudgetThresholdReached: DomainEventPayload, Equatable {
    public static let eventType = "it-service-desk.budget.threshold"
    public static let eventVersion = 1
    public let budgetLineId: String
    public let costCenter: String
    public let kind: String
    public let category: String
    public let fiscalYear: Int
    public let threshold: Int
    public let actual: Int64
    public let budget: Int64
    public let currency: String
}

/// Budgets, expenses and exchange rates; budget against actual with a run-rate forecast; alerts
/// at 80% and 100% as events and in the report.
public struct BudgetService: Sendable {
    let context: DomainContext
    public static let thresholds = [80, 100]

    public init(context: DomainContext) { self.context = context }

    public var reportingCurrency: String { context.config.string(forKey: "finance.reporting-currency", default: "BRL") }

    // MARK: Rates

    public func setRate(currency: String, effectiveOn: LocalDate, rate: String, by invocation: Invocation) async throws -> ExchangeRateEntry {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        var validator = Validator()
        validator.check(Money.isCurrencyCode(currency), "currency", .format, "must be an ISO 4217 code such as USD")
        validator.check(currency != reportingCurrency, "currency", .notAllowed, "\(reportingCurrency) is the reporting currency; its rate is 1")
        validator.check(
            RateText.parse(rate) != nil, "rate", .format,
            "must be a positive decimal like 5.4321, at most 1000000 with 10 decimals (\(reportingCurrency) per 1 \(currency))")
        validator.check(LocalDate.inputYears.contains(effectiveOn.year), "effectiveOn", .outOfRange, LocalDate.inputRule)
        try validator.finish()
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_exchange_rates (currency, effective_on, rate, created_at, created_by)
                VALUES (\(bind: currency), \(bind: effectiveOn.description), \(bind: rate), \(bind: tx.now.epochMicros), \(bind: tx.principal.actor))
                ON CONFLICT (currency, effective_on) DO UPDATE SET rate = excluded.rate, created_at = excluded.created_at, created_by = excluded.created_by
                """
            ).run()
            let entry = ExchangeRateEntry(currency: currency, effectiveOn: effectiveOn, rate: rate, reportingCurrency: reportingCurrency)
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.rate.set", entity: EntityRef("it-service-desk.exchange-rate", "\(currency)/\(effectiveOn)"), region: nil,
                    changes: try FieldChange.diff(before: Optional<ExchangeRateEntry>.none, after: entry)))
            return entry
        }
    }

    public func rates(by principal: Principal) async throws -> [ExchangeRateEntry] {
        try principal.require(ITServiceDeskPermissions.budgetRead)
        return try await context.database.sql.raw("SELECT currency, effective_on, rate FROM it_exchange_rates ORDER BY currency, effective_on LIMIT 5000").all()
            .map { row in
                ExchangeRateEntry(
                    currency: try row.decode(column: "currency", as: String.self), effectiveOn: try row.date("effective_on"),
                    rate: try row.decode(column: "rate", as: String.self), reportingCurrency: reportingCurrency)
            }
    }

    // MARK: Budget lines

    public func setLine(fiscalYear: Int, costCenter: String, kind: String, category: String, amount: Int64, currency: String, by invocation: Invocation)
        async throws -> BudgetLine
    {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        var validator = Validator()
        validator.check((2000...2200).contains(fiscalYear), "fiscalYear", .outOfRange, "must be a year")
        validator.check(SpendKind(rawValue: kind) != nil, "kind", .notAllowed, "must be capex or opex")
        validator.check(
            SpendCategory(rawValue: category) != nil, "category", .notAllowed,
            "must be one of \(SpendCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.checkAmount(amount, "amount")
        validator.check(Money.isCurrencyCode(currency), "currency", .format, "must be an ISO 4217 code")
        try validator.finish()
        let center = try await costCenterRef(costCenter, principal: invocation.principal)
        let id = context.ids.next().lowercased
        return try await context.transaction(invocation) { tx in
            let before = try await Self.line(fiscalYear: fiscalYear, costCenterID: center.id, kind: kind, category: category, on: tx.sql)
            try await tx.sql.raw(
                """
                INSERT INTO it_budget_lines (id, fiscal_year, cost_center_id, kind, category, amount, currency, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: fiscalYear), \(bind: center.id), \(bind: kind), \(bind: category), \(bind: amount), \(bind: currency),
                        \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                ON CONFLICT (fiscal_year, cost_center_id, kind, category) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
                    updated_at = excluded.updated_at, version = it_budget_lines.version + 1
                """
            ).run()
            let after = try await Self.line(fiscalYear: fiscalYear, costCenterID: center.id, kind: kind, category: category, on: tx.sql).orInternal(
                "the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.budget.set", entity: EntityRef("it-service-desk.budget-line", after.id), region: center.region,
                    changes: try FieldChange.diff(before: before, after: after), isCreation: before == nil))
            return after
        }
    }

    static func line(fiscalYear: Int, costCenterID: String, kind: String, category: String, on sql: any SQLDatabase) async throws -> BudgetLine? {
        try await sql.raw(
            """
            SELECT b.id, b.fiscal_year, c.code AS cost_center, s.code AS site, b.kind, b.category, b.amount, b.currency, b.version
            FROM it_budget_lines b JOIN it_cost_centers c ON c.id = b.cost_center_id JOIN it_sites s ON s.id = c.site_id
            WHERE b.fiscal_year = \(bind: fiscalYear) AND b.cost_center_id = \(bind: costCenterID) AND b.kind = \(bind: kind) AND b.category = \(bind: category)
            """
        ).first().map(Self.budgetLine)
    }

    static func budgetLine(_ row: any SQLRow) throws -> BudgetLine {
        BudgetLine(
            id: try row.decode(column: "id", as: String.self), fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
            costCenter: try row.decode(column: "cost_center", as: String.self), site: try row.decode(column: "site", as: String.self),
            kind: try row.decode("kind", as: SpendKind.self),
            category: try row.decode("category", as: SpendCategory.self),
            amount: try row.decode(column: "amount", as: Int64.self), currency: try row.decode(column: "currency", as: String.self),
            version: try row.decode(column: "version", as: Int.self))
    }

    struct CostCenterRef: Sendable { let id: String; let code: String; let region: RegionCode; let fiscalStartMonth: Int }

    func costCenterRef(_ code: String, principal: Principal) async throws -> CostCenterRef {
        guard
            let row = try await context.database.sql.raw(
                """
                SELECT c.id, c.code, s.region, s.fiscal_year_start_month FROM it_cost_centers c JOIN it_sites s ON s.id = c.site_id WHERE c.code = \(bind: code.uppercased())
                """
            ).first()
        else { throw VigilError.invalid("costCenter", .notAllowed, "\(code) is not a cost center you may use") }
        let region = RegionCode(stored: try row.decode(column: "region", as: String.self))
        guard principal.canAccess(region) else { throw VigilError.invalid("costCenter", .notAllowed, "\(code) is not a cost center you may use") }
        return CostCenterRef(
            id: try row.decode(column: "id", as: String.self), code: try row.decode(column: "code", as: String.self), region: region,
            fiscalStartMonth: try row.decode(column: "fiscal_year_start_month", as: Int.self))
    }

    // MARK: Expenses

    public struct ExpenseInput: Codable, Sendable {
        public var spentOn: String
        public var costCenter: String
        public var kind: String
        public var category: String
        public var amount: Int64
        public var currency: String
        public var source: String?
        public var sourceRef: String?
        public var description: String

        public init(
            spentOn: String, costCenter: String, kind: String, category: String, amount: Int64, currency: String, source: String? = nil,
            sourceRef: String? = nil, description: String
        ) {
            self.spentOn = spentOn
            self.costCenter = costCenter
            self.kind = kind
            self.category = category
            self.amount = amount
            self.currency = currency
            self.source = source
            self.sourceRef = sourceRef
            self.description = description
        }
    }

    /// Records an expense (manual, or from a purchase order); a repeated source reference is refused.
    public func record(_ input: ExpenseInput, by invocation: Invocation) async throws -> Expense {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        var validator = Validator()
        let date = LocalDate(input: input.spentOn)
        validator.check(date != nil, "spentOn", .format, LocalDate.inputRule)
        validator.check(SpendKind(rawValue: input.kind) != nil, "kind", .notAllowed, "must be capex or opex")
        validator.check(
            SpendCategory(rawValue: input.category) != nil, "category", .notAllowed,
            "must be one of \(SpendCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check(input.amount != 0, "amount", .outOfRange, "cannot be zero (a credit is negative)")
        validator.checkAmount(input.amount, "amount", allowingNegative: true)
        validator.check(Money.isCurrencyCode(input.currency), "currency", .format, "must be an ISO 4217 code")
        let source = input.source ?? "manual"
        validator.check(["manual", "purchase-order"].contains(source), "source", .notAllowed, "must be manual or purchase-order (contracts post their own)")
        if source == "purchase-order" { validator.check(!(input.sourceRef ?? "").isEmpty, "sourceRef", .required, "give the purchase order number") }
        validator.check((1...500).contains(input.description.count), "description", .invalid, "must be 1 to 500 characters")
        try validator.finish()
        let center = try await costCenterRef(input.costCenter, principal: invocation.principal)
        let rates = try await ExchangeRates.load(reporting: reportingCurrency, on: context.database.sql)
        _ = try rates.convert(input.amount, from: input.currency, on: date!)
        let id = context.ids.next().lowercased
        let expense = Expense(
            id: id, spentOn: date!, costCenter: center.code, kind: SpendKind(rawValue: input.kind)!, category: SpendCategory(rawValue: input.category)!,
            amount: input.amount, currency: input.currency, source: source, sourceRef: input.sourceRef ?? id, description: input.description)
        return try await context.transaction(invocation) { tx in
            try await self.insert(expense, costCenterID: center.id, region: center.region, in: tx)
            try await self.checkThresholds(costCenter: center, kind: expense.kind, category: expense.category, date: expense.spentOn, rates: rates, in: tx)
            return expense
        }
    }

    /// Writes an expense with its audit record; false when its source reference is there already.
    @discardableResult
    func insert(_ expense: Expense, costCenterID: String, region: RegionCode, in tx: Transaction) async throws -> Bool {
        let exists = try await tx.sql.raw("SELECT id FROM it_expenses WHERE source = \(bind: expense.source) AND source_ref = \(bind: expense.sourceRef)")
            .first()
        if exists != nil {
            if expense.source == "contract" { return false }
            throw VigilError(.conflict, "an expense from \(expense.source) \(expense.sourceRef) is recorded already")
        }
        try await tx.sql.raw(
            """
            INSERT INTO it_expenses (id, spent_on, cost_center_id, kind, category, amount, currency, source, source_ref, description, created_at, created_by)
            VALUES (\(bind: expense.id), \(bind: expense.spentOn.description), \(bind: costCenterID), \(bind: expense.kind.rawValue), \(bind: expense.category.rawValue),
                    \(bind: expense.amount), \(bind: expense.currency), \(bind: expense.source), \(bind: expense.sourceRef), \(bind: expense.description),
                    \(bind: tx.now.epochMicros), \(bind: tx.principal.actor))
            """
        ).run()
        try await tx.audit(
            AuditEntry(
                action: "it-service-desk.expense.record", entity: EntityRef("it-service-desk.expense", expense.id), region: region,
                changes: try FieldChange.diff(before: Optional<Expense>.none, after: expense), isCreation: true))
        return true
    }

    /// After an expense: raises the 80% and 100% alerts its budget line newly crossed.
    func checkThresholds(costCenter: CostCenterRef, kind: SpendKind, category: SpendCategory, date: LocalDate, rates: ExchangeRates, in tx: Transaction)
        async throws
    {
        let year = FiscalYear(containing: date, startMonth: costCenter.fiscalStartMonth)
        guard let line = try await Self.line(fiscalYear: year.year, costCenterID: costCenter.id, kind: kind.rawValue, category: category.rawValue, on: tx.sql)
        else { return }
        let budget = try rates.convert(line.amount, from: line.currency, on: year.from)
        guard budget > 0 else { return }
        let actual = try await Self.actual(costCenterID: costCenter.id, kind: kind.rawValue, category: category.rawValue, year: year, rates: rates, on: tx.sql)
        let raised = Set(
            try await tx.sql.raw("SELECT threshold FROM it_budget_alerts WHERE budget_line_id = \(bind: line.id)").all().map {
                try $0.decode(column: "threshold", as: Int.self)
            })
        // In 128 bits: actual × 100 passes 64 bits long before a total does.
        for threshold in Self.thresholds where !raised.contains(threshold) && Int128(actual) * 100 >= Int128(budget) * Int128(threshold) {
            try await tx.sql.raw(
                """
                INSERT INTO it_budget_alerts (budget_line_id, threshold, raised_at, actual, budget) VALUES (\(bind: line.id), \(bind: threshold), \(bind: tx.now.epochMicros), \(bind: actual), \(bind: budget))
                """
            ).run()
            try await tx.publish(
                BudgetThresholdReached(
                    budgetLineId: line.id, costCenter: line.costCenter, kind: kind.rawValue, category: category.rawValue, fiscalYear: year.year,
                    threshold: threshold, actual: actual, budget: budget, currency: rates.reporting),
                subject: EntityRef("it-service-desk.budget-line", line.id), region: costCenter.region)
        }
    }

    /// A line's expenses in a fiscal year, each converted at its own date's rate.
    static func actual(costCenterID: String, kind: String, category: String, year: FiscalYear, rates: ExchangeRates, on sql: any SQLDatabase) async throws
        -> Int64
    {
        var total = MoneySum()
        for row in try await sql.raw(
            """
            SELECT spent_on, amount, currency FROM it_expenses WHERE cost_center_id = \(bind: costCenterID) AND kind = \(bind: kind) AND category = \(bind: category)
            AND spent_on >= \(bind: year.from.description) AND spent_on <= \(bind: year.to.description)
            """
        ).all() {
            total += try rates.convert(
                try row.decode(column: "amount", as: Int64.self), from: try row.decode(column: "currency", as: String.self),
                on: try row.date("spent_on"))
        }
        return try total.int64("the actual spending of the budget line")
    }

    /// Expenses from the assets bought on a purchase order: capex hardware, per cost center and
    /// currency, dated the purchase date. Recording the same order again changes nothing.
    public func recordPurchaseOrder(_ order: String, by invocation: Invocation) async throws -> [Expense] {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        // Added up here, in 128 bits: SQL's SUM overflows on SQLite and is a NUMERIC on PostgreSQL.
        struct Group { var spentOn: LocalDate; var amount = MoneySum(); var assets = 0 }
        var groups: [String: Group] = [:]
        for row in try await context.database.sql.raw(
            """
            SELECT c.code AS cost_center, a.currency, a.purchase_date, a.cost
            FROM it_assets a JOIN it_cost_centers c ON c.id = a.cost_center_id WHERE a.purchase_order = \(bind: order)
            """
        ).all() {
            let key = "\(try row.decode(column: "cost_center", as: String.self))\n\(try row.decode(column: "currency", as: String.self))"
            let purchased = try row.date("purchase_date")
            var group = groups[key] ?? Group(spentOn: purchased)
            group.spentOn = min(group.spentOn, purchased)
            group.amount += try row.decode(column: "cost", as: Int64.self)
            group.assets += 1
            groups[key] = group
        }
        guard !groups.isEmpty else { throw VigilError.invalid("purchaseOrder", .notAllowed, "no asset with a cost center was bought on \(order)") }
        var recorded: [Expense] = []
        for (key, group) in groups.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let (center, currency) = (parts[0], parts[1])
            guard let amount = Int64(exactly: group.amount.value) else {
                throw VigilError.invalid(
                    "amount", .outOfRange, "the assets on \(order) cost more than an expense can record (\(Money.maximumMinorUnits) minor units)")
            }
            let input = ExpenseInput(
                spentOn: group.spentOn.description, costCenter: center, kind: "capex", category: "hardware",
                amount: amount, currency: currency, source: "purchase-order",
                sourceRef: "\(order):\(center):\(currency)", description: "\(group.assets) assets on \(order)")
            do { recorded.append(try await record(input, by: invocation)) } catch let error as VigilError where error.kind == .conflict { continue }
        }
        return recorded
    }

    public func expenses(costCenter: String?, from: LocalDate, to: LocalDate, by principal: Principal) async throws -> [Expense] {
        try principal.require(ITServiceDeskPermissions.budgetRead)
        var query: SQLQueryString = """
            SELECT e.id, e.spent_on, c.code AS cost_center, e.kind, e.category, e.amount, e.currency, e.source, e.source_ref, e.description, s.region
            FROM it_expenses e JOIN it_cost_centers c ON c.id = e.cost_center_id JOIN it_sites s ON s.id = c.site_id
            WHERE e.spent_on >= \(bind: from.description) AND e.spent_on <= \(bind: to.description)
            """
        if let costCenter { query += " AND c.code = \(bind: costCenter.uppercased())" }
        query += " ORDER BY e.spent_on, e.id LIMIT 5000"
        return try await context.database.sql.raw(query).all().compactMap { row in
            guard principal.canAccess(RegionCode(stored: try row.decode(column: "region", as: String.self))) else { return nil }
            return Expense(
                id: try row.decode(column: "id", as: String.self), spentOn: try row.date("spent_on"),
                costCenter: try row.decode(column: "cost_center", as: String.self), kind: try row.decode("kind", as: SpendKind.self),
                category: try row.decode("category", as: SpendCategory.self), amount: try row.decode(column: "amount", as: Int64.self),
                currency: try row.decode(column: "currency", as: String.self), source: try row.decode(column: "source", as: String.self),
                sourceRef: try row.decode(column: "source_ref", as: String.self), description: try row.decode(column: "description", as: String.self))
        }
    }

    // MARK: Budget against actual

    /// Every budget line of a fiscal year (each site's own fiscal year), with actuals, the
    /// run-rate forecast and the alerts raised, in the reporting currency.
    public func report(fiscalYear: Int, site: String?, asOf: LocalDate, by principal: Principal) async throws -> BudgetReport {
        guard (2000...2200).contains(fiscalYear) else { throw VigilError.invalid("fiscalYear", .outOfRange, "must be 2000 to 2200") }
        try principal.require(ITServiceDeskPermissions.budgetRead)
        let sql = context.database.sql
        let rates = try await ExchangeRates.load(reporting: reportingCurrency, on: sql)
        var query: SQLQueryString = """
            SELECT b.id, b.fiscal_year, c.code AS cost_center, s.code AS site, b.kind, b.category, b.amount, b.currency, b.version,
                b.cost_center_id, s.fiscal_year_start_month, s.region
            FROM it_budget_lines b JOIN it_cost_centers c ON c.id = b.cost_center_id JOIN it_sites s ON s.id = c.site_id
            WHERE b.fiscal_year = \(bind: fiscalYear)
            """
        if let site { query += " AND s.code = \(bind: site.uppercased())" }
        query += " ORDER BY s.code, c.code, b.kind, b.category"
        var lines: [BudgetStatus] = []
        for row in try await sql.raw(query).all() {
            guard principal.canAccess(RegionCode(stored: try row.decode(column: "region", as: String.self))) else { continue }
            let line = try Self.budgetLine(row)
            let year = FiscalYear(fiscalYear, startMonth: try row.decode(column: "fiscal_year_start_month", as: Int.self))
            let budget = try rates.convert(line.amount, from: line.currency, on: year.from)
            let actual = try await Self.actual(
                costCenterID: try row.decode(column: "cost_center_id", as: String.self), kind: line.kind.rawValue,
                category: line.category.rawValue, year: year, rates: rates, on: sql)
            let totalDays = year.to.dayNumber - year.from.dayNumber + 1
            let elapsed = min(totalDays, max(0, asOf.dayNumber - year.from.dayNumber + 1))
            let forecast =
                elapsed == 0
                ? 0
                : (elapsed >= totalDays
                    ? actual
                    : try actual.scaledTruncating(by: Int64(totalDays), over: Int64(elapsed)).orThrow(
                        "the run-rate forecast of \(line.costCenter) \(line.kind.rawValue) \(line.category.rawValue)"))
            let alerts = try await sql.raw("SELECT threshold FROM it_budget_alerts WHERE budget_line_id = \(bind: line.id) ORDER BY threshold").all().map {
                try $0.decode(column: "threshold", as: Int.self)
            }
            lines.append(
                BudgetStatus(
                    fiscalYear: fiscalYear, from: year.from, to: year.to, site: line.site, costCenter: line.costCenter, kind: line.kind,
                    category: line.category,
                    budget: budget, actual: actual, remaining: try budget.subtracting(actual, "the remaining budget of \(line.costCenter)"),
                    usedPercent: budget > 0 ? (actual.scaledTruncating(by: 1000, over: budget).map { Double($0) / 10 }) : nil, runRateForecast: forecast,
                    alerts: alerts))
        }
        return BudgetReport(fiscalYear: fiscalYear, reportingCurrency: reportingCurrency, asOf: asOf, lines: lines)
    }
}

public struct ExchangeRateEntry: Codable, Sendable, Hashable {
    public let currency: String
    public let effectiveOn: LocalDate
    /// Units of the reporting currency per 1 unit of `currency`, as written.
    public let rate: String
    public let reportingCurrency: String
}
