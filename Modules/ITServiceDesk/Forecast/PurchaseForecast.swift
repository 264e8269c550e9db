import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit
import SQLParts

/// A calendar quarter: 2027-Q1.
public struct Quarter: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    public init(containing date: LocalDate) { self.init(year: date.year, number: (date.month - 1) / 3 + 1) }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        // Years as dates take them (LocalDate.inputYears); "-999-Q1" or "9223372036854775807-Q1" are not quarters.
        guard parts.count == 2, parts[0].count == 4, parts[0].utf8.allSatisfy({ (48...57).contains($0) }), let year = Int(parts[0]),
            LocalDate.inputYears.contains(year), parts[1].count == 2, parts[1].first == "Q", let number = Int(parts[1].dropFirst()), (1...4).contains(number)
        else { return nil }
        self.init(year: year, number: number)
    }

    public var first: LocalDate { LocalDate.first(ofMonth: (number - 1) * 3 + 1, year: year) }
    public var last: LocalDate { first.adding(months: 3).adding(days: -1) }
    public func adding(_ quarters: Int) -> Quarter {
        let index = year * 4 + (number - 1) + quarters
        return Quarter(year: index / 4, number: index % 4 + 1)
    }
    public var index: Int { year * 4 + number - 1 }
    public var description: String { "\(year)-Q\(number)" }
    public static func < (lhs: Quarter, rhs: Quarter) -> Bool { lhs.index < rhs.index }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let quarter = Quarter(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a quarter like 2027-Q1"))
        }
        self = quarter
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One line of the forecast and what produced it.
public struct ForecastLine: Codable, Sendable, Hashable {
    public enum Reason: String, Codable, Sendable {
        case endOfLife = "end-of-life", warrantyEnd = "warranty-end", agePolicy = "age-policy", overdue, growth, expectedFailures = "expected-failures"
    }
    public let quarter: Quarter
    public let site: String
    public let category: String
    public let model: String?
    public let reason: Reason
    public let quantity: Int
    /// Minor units of the reporting currency.
    public let cost: Int64
    public let explanation: String
    /// The assets behind a replacement line (the first 20; `assetCount` says how many).
    public let assets: [String]
    public let assetCount: Int
}

/// The forecast of a site and fiscal year next to its capex hardware budget.
public struct ForecastBudgetComparison: Codable, Sendable, Hashable {
    public let site: String
    public let fiscalYear: Int
    public let forecast: Int64
    public let budget: Int64
    public let difference: Int64
}

public struct PurchaseForecastReport: Codable, Sendable {
    public let from: Quarter
    public let quarters: Int
    public let reportingCurrency: String
    public let lines: [ForecastLine]
    public let budgets: [ForecastBudgetComparison]
    public let assetsRead: Int
    public let seconds: Double
}

/// Replacement rules per category: at end of life (default), at warranty end, or at an age.
public enum ReplacementRule: Sendable, Hashable {
    case endOfLife, warrantyEnd, age(months: Int)

    public init?(text: String) {
        switch text {
        case "end-of-life": self = .endOfLife
        case "warranty-end": self = .warrantyEnd
        default:
            let parts = text.split(separator: ":")
            guard parts.count == 2, parts[0] == "age", let months = Int(parts[1]), (1...600).contains(months) else { return nil }
            self = .age(months: months)
        }
    }

    public var text: String {
        switch self {
        case .endOfLife: "end-of-life"
        case .warrantyEnd: "warranty-end"
        case .age(let months): "age:\(months)"
        }
    }
}

/// What to buy in the coming quarters, per site and category: replacements due (end of life,
/// warranty end or an age policy), growth (headcount plan × devices per person), and expected
/// failures (from the last year's early retirements), priced in the reporting currency and set
/// against the capex hardware budget. Each line says which assets or assumption produced it.
public struct PurchaseForecast: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func run(quarters: Int, from: Quarter?, site: String?, by principal: Principal) async throws -> PurchaseForecastReport {
        // Seconds over every asset: on the long-work thread (DomainContext.longRunning).
        try await context.longRunning { try await self.runNow(quarters: quarters, from: from, site: site, by: principal) }
    }

    private func runNow(quarters: Int, from: Quarter?, site: String?, by principal: Principal) async throws -> PurchaseForecastReport {
        try principal.require(ITServiceDeskPermissions.budgetRead)
        guard (1...16).contains(quarters) else { throw VigilError.invalid("quarters", .outOfRange, "must be 1 to 16") }
        let started = Date()
        let sql = context.database.sql
        let reporting = BudgetService(context: context).reportingCurrency
        let rates = try await ExchangeRates.load(reporting: reporting, on: sql)
        let today = LocalDate(of: context.clock.now(), in: "UTC")
        let first = from ?? Quarter(containing: today)
        let last = first.adding(quarters - 1)

        // Small tables, read whole.
        var sites: [String: (code: String, region: RegionCode, fiscalStart: Int)] = [:]
        for row in try await sql.raw("SELECT id, code, region, fiscal_year_start_month FROM it_sites").all() {
            sites[try row.decode(column: "id", as: String.self)] = (
                try row.decode(column: "code", as: String.self), RegionCode(stored: try row.decode(column: "region", as: String.self)),
                try row.decode(column: "fiscal_year_start_month", as: Int.self)
            )
        }
        var siteFilter: String?
        if let site {
            let found = try context.authorization.referenced(
                sites.first(where: { $0.value.code == site.uppercased() }), region: \.value.region,
                by: principal, field: "site", "\(site) is not a site you may use")
            siteFilter = found.key
        }
        let visible = Set(sites.filter { principal.canAccess($0.value.region) && (siteFilter == nil || $0.key == siteFilter) }.keys)
        var models: [String: (name: String, category: String, unitCost: Int64, currency: String)] = [:]
        for row in try await sql.raw("SELECT id, name, category, unit_cost, currency FROM it_asset_models").all() {
            models[try row.decode(column: "id", as: String.self)] = (
                try row.decode(column: "name", as: String.self), try row.decode(column: "category", as: String.self),
                try row.decode(column: "unit_cost", as: Int64.self), try row.decode(column: "currency", as: String.self)
            )
        }
        var policies: [String: ReplacementRule] = [:]
        for row in try await sql.raw("SELECT category, rule FROM it_replacement_policies").all() {
            let text = try row.decode(column: "rule", as: String.self)
            guard let rule = ReplacementRule(text: text) else { throw StoredValueError(column: "rule", value: text, type: "replacement rule") }
            policies[try row.decode(column: "category", as: String.self)] = rule
        }

        // One streamed pass over the assets in service.
        let scan = try await scanAssets(visible: visible, policies: policies, first: first, last: last)
        var lines: [ForecastLine] = []
        for (key, group) in scan.replacements {
            guard let model = models[key.modelID], let siteInfo = sites[key.siteID] else { continue }
            let quarter = Quarter(year: key.quarterIndex / 4, number: key.quarterIndex % 4 + 1)
            let unit = try rates.convert(model.unitCost, from: model.currency, on: quarter.first)
            let why: String =
                switch key.reason {
                case .endOfLife: "reach the end of their expected life in \(quarter)"
                case .warrantyEnd: "leave warranty in \(quarter) (policy: replace at warranty end)"
                case .agePolicy: "reach the age limit of the \(model.category) policy in \(quarter)"
                default: "were due for replacement before \(first) and are still in service"
                }
            lines.append(
                ForecastLine(
                    quarter: quarter, site: siteInfo.code, category: model.category, model: model.name, reason: key.reason, quantity: group.count,
                    cost: try unit.multiplied(by: Int64(group.count), "the cost of \(group.count) \(model.name)"),
                    explanation: "\(group.count) \(model.name) \(why), at \(MoneyText.text(unit, currency: reporting)) \(reporting) each",
                    assets: group.tags, assetCount: group.count))
        }

        // Growth: planned headcount × devices per person.
        let ratios = try await sql.raw("SELECT model_id, per_person FROM it_device_ratios").all().map { row -> (String, Decimal) in
            let text = try row.decode(column: "per_person", as: String.self)
            guard let ratio = DecimalText.parse(text) else { throw StoredValueError(column: "per_person", value: text, type: "devices per person") }
            return (try row.decode(column: "model_id", as: String.self), ratio)
        }
        for row in try await sql.raw("SELECT site_id, quarter, delta FROM it_headcount_plans WHERE delta > 0").all() {
            let siteID = try row.decode(column: "site_id", as: String.self)
            guard visible.contains(siteID), let quarter = Quarter(try row.decode(column: "quarter", as: String.self)), quarter >= first, quarter <= last,
                let siteInfo = sites[siteID]
            else { continue }
            let delta = try row.decode(column: "delta", as: Int.self)
            for (modelID, ratio) in ratios {
                guard let model = models[modelID] else { continue }
                var exact = Decimal(delta) * ratio
                var rounded = Decimal()
                NSDecimalRound(&rounded, &exact, 0, .up)
                let quantity = NSDecimalNumber(decimal: rounded).intValue
                guard quantity > 0 else { continue }
                let unit = try rates.convert(model.unitCost, from: model.currency, on: quarter.first)
                lines.append(
                    ForecastLine(
                        quarter: quarter, site: siteInfo.code, category: model.category, model: model.name, reason: .growth, quantity: quantity,
                        cost: try unit.multiplied(by: Int64(quantity), "the cost of \(quantity) \(model.name)"),
                        explanation: "headcount +\(delta) at \(siteInfo.code) in \(quarter) × \(ratio) \(model.name) per person",
                        assets: [], assetCount: 0))
            }
        }

        // Expected failures: early retirements of the last twelve months, as a yearly rate per
        // category, applied to what is in service at each site.
        let since = context.clock.now().addingTimeInterval(-365 * 86_400).epochMicros
        var retiredByCategory: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT a.category, COUNT(*) AS n FROM it_asset_history h JOIN it_assets a ON a.id = h.asset_id
            WHERE h.to_status = 'retired' AND h.at >= \(bind: since) GROUP BY a.category
            """
        ).all() {
            retiredByCategory[try row.decode(column: "category", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        var inServiceByCategory: [String: Int] = [:]
        for (key, count) in scan.inService { inServiceByCategory[key.category, default: 0] += count }
        for (key, count) in scan.inService {
            guard let retired = retiredByCategory[key.category], retired > 0, let total = inServiceByCategory[key.category], total > 0,
                let siteInfo = sites[key.siteID]
            else { continue }
            let perQuarter = Double(retired) / Double(total) / 4 * Double(count)
            let quantity = Int(perQuarter.rounded())
            guard quantity > 0, let unitSource = scan.typicalModel[key], let model = models[unitSource] else { continue }
            for offset in 0..<quarters {
                let quarter = first.adding(offset)
                let unit = try rates.convert(model.unitCost, from: model.currency, on: quarter.first)
                lines.append(
                    ForecastLine(
                        quarter: quarter, site: siteInfo.code, category: key.category, model: model.name, reason: .expectedFailures, quantity: quantity,
                        cost: try unit.multiplied(by: Int64(quantity), "the cost of \(quantity) \(model.name)"),
                        explanation:
                            "\(retired) of \(total) \(key.category) assets retired early in the last 12 months; \(count) in service at \(siteInfo.code)",
                        assets: [], assetCount: 0))
            }
        }
        lines.sort {
            ($0.quarter, $0.site, $0.category, $0.reason.rawValue, $0.model ?? "") < ($1.quarter, $1.site, $1.category, $1.reason.rawValue, $1.model ?? "")
        }

        // Against the budget: capex hardware lines of the site's cost centers, per fiscal year.
        var forecastBySiteYear: [String: [Int: MoneySum]] = [:]
        for line in lines {
            guard let siteEntry = sites.first(where: { $0.value.code == line.site }) else { continue }
            let year = FiscalYear(containing: line.quarter.first, startMonth: siteEntry.value.fiscalStart).year
            forecastBySiteYear[line.site, default: [:]][year, default: MoneySum()] += line.cost
        }
        var budgets: [ForecastBudgetComparison] = []
        for (siteCode, years) in forecastBySiteYear {
            for (year, forecast) in years {
                var budget = MoneySum()
                for row in try await sql.raw(
                    """
                    SELECT b.amount, b.currency, s.fiscal_year_start_month FROM it_budget_lines b JOIN it_cost_centers c ON c.id = b.cost_center_id JOIN it_sites s ON s.id = c.site_id
                    WHERE s.code = \(bind: siteCode) AND b.fiscal_year = \(bind: year) AND b.kind = 'capex' AND b.category = 'hardware'
                    """
                ).all() {
                    let fiscal = FiscalYear(year, startMonth: try row.decode(column: "fiscal_year_start_month", as: Int.self))
                    budget += try rates.convert(
                        try row.decode(column: "amount", as: Int64.self), from: try row.decode(column: "currency", as: String.self), on: fiscal.from)
                }
                let what = "the \(siteCode) \(year) hardware"
                budgets.append(
                    ForecastBudgetComparison(
                        site: siteCode, fiscalYear: year, forecast: try forecast.int64("\(what) forecast"), budget: try budget.int64("\(what) budget"),
                        difference: try (budget - forecast).int64("\(what) budget less forecast")))
            }
        }
        budgets.sort { ($0.site, $0.fiscalYear) < ($1.site, $1.fiscalYear) }
        return PurchaseForecastReport(
            from: first, quarters: quarters, reportingCurrency: reporting, lines: lines, budgets: budgets, assetsRead: scan.read,
            seconds: Date().timeIntervalSince(started))
    }

    struct ReplacementKey: Hashable, Sendable {
        let quarterIndex: Int
        let siteID: String
        let modelID: String
        let reason: ForecastLine.Reason
    }

    struct SiteCategory: Hashable, Sendable {
        let siteID: String
        let category: String
    }

    struct ReplacementGroup: Sendable {
        var count = 0
        var tags: [String] = []
    }

    struct ScanResult: Sendable {
        var replacements: [ReplacementKey: ReplacementGroup] = [:]
        var inService: [SiteCategory: Int] = [:]
        /// The most common model of each site and category, to price expected failures.
        var typicalModel: [SiteCategory: String] = [:]
        var modelCounts: [SiteCategory: [String: Int]] = [:]
        var read = 0
    }

    /// Reads the assets in service once, streamed, and files each due replacement under its
    /// quarter, site, model and reason.
    func scanAssets(visible: Set<String>, policies: [String: ReplacementRule], first: Quarter, last: Quarter) async throws -> ScanResult {
        let firstIndex = first.index, lastIndex = last.index
        var result = try await context.database.sql.fold(
            """
            SELECT tag, site_id, model_id, category, purchase_date, life_months, warranty_end FROM it_assets WHERE status IN ('in-stock', 'deployed', 'in-repair')
            """, into: ScanResult()
        ) { result, row in
            let siteID = try row.decode(column: "site_id", as: String.self)
            guard visible.contains(siteID) else { return }
            result.read += 1
            let category = try row.decode(column: "category", as: String.self)
            let modelID = try row.decode(column: "model_id", as: String.self)
            let key = SiteCategory(siteID: siteID, category: category)
            result.inService[key, default: 0] += 1
            result.modelCounts[key, default: [:]][modelID, default: 0] += 1
            let purchased = try row.date("purchase_date")
            let rule = policies[category] ?? .endOfLife
            var reason = ForecastLine.Reason.endOfLife
            var due: LocalDate
            switch rule {
            case .endOfLife: due = purchased.adding(months: try row.decode(column: "life_months", as: Int.self))
            case .warrantyEnd:
                if let end = try row.optionalDate("warranty_end") {
                    due = end; reason = .warrantyEnd
                } else {
                    due = purchased.adding(months: try row.decode(column: "life_months", as: Int.self))
                }
            case .age(let months): due = purchased.adding(months: months); reason = .agePolicy
            }
            var index = Quarter(containing: due).index
            if index < firstIndex { index = firstIndex; reason = .overdue }
            guard index <= lastIndex else { return }
            let group = ReplacementKey(quarterIndex: index, siteID: siteID, modelID: modelID, reason: reason)
            result.replacements[group, default: ReplacementGroup()].count += 1
            if result.replacements[group]!.tags.count < 20 { result.replacements[group]!.tags.append(try row.decode(column: "tag", as: String.self)) }
        }
        for (key, counts) in result.modelCounts { result.typicalModel[key] = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key }
        result.modelCounts = [:]
        return result
    }

    // MARK: Assumptions

    /// Sets a site's planned headcount change for a quarter.
    public func setHeadcount(site: String, quarter: Quarter, delta: Int, by invocation: Invocation) async throws {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        guard (-100_000...100_000).contains(delta) else { throw VigilError.invalid("delta", .outOfRange, "must be within ±100000") }
        let found = try await SiteService(context: context).get(site, by: invocation.principal)
        try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_headcount_plans (site_id, quarter, delta) VALUES (\(bind: found.id), \(bind: quarter.description), \(bind: delta))
                ON CONFLICT (site_id, quarter) DO UPDATE SET delta = excluded.delta
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.forecast.headcount", entity: EntityRef("it-service-desk.headcount-plan", "\(found.code)/\(quarter)"),
                    region: found.regionCode,
                    changes: [FieldChange(field: "delta", before: nil, after: .integer(Int64(delta)))]))
        }
    }

    /// Sets how many of a model each new person needs (e.g. 1 laptop, 0.25 printers).
    public func setDevicesPerPerson(model: String, perPerson: String, by invocation: Invocation) async throws {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        guard let ratio = DecimalText.parse(perPerson, wholeDigits: 2, fractionDigits: 4), ratio >= 0, ratio <= 20 else {
            throw VigilError.invalid("perPerson", .format, "must be a decimal from 0 to 20 like 1 or 0.25")
        }
        guard let row = try await context.database.sql.raw("SELECT id FROM it_asset_models WHERE name = \(bind: model)").first() else {
            throw VigilError.invalid("model", .notAllowed, "\(model) is not a model")
        }
        let id = try row.decode(column: "id", as: String.self)
        try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                "INSERT INTO it_device_ratios (model_id, per_person) VALUES (\(bind: id), \(bind: perPerson)) ON CONFLICT (model_id) DO UPDATE SET per_person = excluded.per_person"
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.forecast.devices-per-person", entity: EntityRef("it-service-desk.asset-model", id), region: nil,
                    changes: [FieldChange(field: "perPerson", before: nil, after: .string(perPerson))]))
        }
    }

    /// Sets when a category is replaced: end-of-life, warranty-end or age:MONTHS.
    public func setReplacementRule(category: String, rule: String, by invocation: Invocation) async throws {
        try invocation.principal.require(ITServiceDeskPermissions.budgetManage)
        guard AssetCategory.all.contains(category) else {
            throw VigilError.invalid("category", .notAllowed, "must be one of \(AssetCategory.all.joined(separator: ", "))")
        }
        guard let parsed = ReplacementRule(text: rule) else { throw VigilError.invalid("rule", .notAllowed, "must be end-of-life, warranty-end or age:MONTHS") }
        try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                "INSERT INTO it_replacement_policies (category, rule) VALUES (\(bind: category), \(bind: parsed.text)) ON CONFLICT (category) DO UPDATE SET rule = excluded.rule"
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.forecast.replacement-rule", entity: EntityRef("it-service-desk.replacement-policy", category), region: nil,
                    changes: [FieldChange(field: "rule", before: nil, after: .string(parsed.text))]))
        }
    }
}
