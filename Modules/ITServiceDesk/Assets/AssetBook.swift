import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit
import SQLParts

/// Book value of the assets of one cost center (and site, in one currency) as of a date.
public struct BookValueLine: Codable, Sendable, Hashable {
    public let site: String
    public let costCenter: String
    public let currency: String
    public let assets: Int
    public let cost: Int64
    public let accumulated: Int64
    public let bookValue: Int64
}

public struct BookValueReport: Codable, Sendable {
    public let asOf: LocalDate
    public let assets: Int
    public let lines: [BookValueLine]
    public let seconds: Double
}

/// One fiscal year's depreciation of a cost center: opening value, the year's depreciation, closing.
public struct DepreciationLine: Codable, Sendable, Hashable {
    public let site: String
    public let costCenter: String
    public let currency: String
    public let fiscalYear: Int
    public let from: LocalDate
    public let to: LocalDate
    public let assets: Int
    public let opening: Int64
    /// Loss of value during the year: opening − disposals − closing.
    public let depreciation: Int64
    /// The book value of the assets disposed of during the year, on the day they left.
    public let disposals: Int64
    public let closing: Int64
}

public struct AssetSchedule: Codable, Sendable {
    public let tag: String
    public let currency: String
    public let method: String
    public let bookValueToday: Int64?
    public let periods: [DepreciationPeriod]
}

/// The money side of assets: schedules, book values and depreciation by cost center. The runs
/// over all assets read the table once in a streaming pass and add up per group, so a million
/// assets take one scan.
public struct AssetBook: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func schedule(_ tag: String, by principal: Principal) async throws -> AssetSchedule {
        let asset = try await AssetService(context: context).get(tag, by: principal)
        guard let site = try await SiteStore.load(code: asset.site, on: context.database.sql) else { throw VigilError.notFound("site \(asset.site)") }
        let today = LocalDate(of: context.clock.now(), in: site.timeZone)
        let terms = try asset.terms
        return AssetSchedule(
            tag: asset.tag, currency: asset.currency, method: asset.depreciation, bookValueToday: Depreciation.bookValue(terms, asOf: today),
            periods: Depreciation.schedule(terms, fiscalYearStartMonth: site.fiscalYearStartMonth))
    }

    public func bookValues(asOf date: LocalDate, site: String?, by principal: Principal) async throws -> BookValueReport {
        // Seconds over every asset: on the long-work thread (DomainContext.longRunning).
        try await context.longRunning { try await self.bookValuesNow(asOf: date, site: site, by: principal) }
    }

    private func bookValuesNow(asOf date: LocalDate, site: String?, by principal: Principal) async throws -> BookValueReport {
        try principal.require(ITServiceDeskPermissions.assetRead)
        let started = Date()
        let groups = try await scan(site: site, principal: principal, into: [GroupKey: Sums]()) { groups, row in
            guard let value = row.bookValue(asOf: date) else { return }
            groups[row.key, default: Sums()].add(value, cost: row.terms.cost)
        }
        let total = groups.values.reduce(0) { $0 + $1.assets }
        let names = try await GroupNames.load(on: context.database.sql)
        let lines = try groups.map { key, sums in
            let costCenter = key.costCenterID.flatMap { names.costCenters[$0] } ?? "(none)"
            return BookValueLine(
                site: names.sites[key.siteID] ?? key.siteID, costCenter: costCenter, currency: key.currency, assets: sums.assets,
                cost: try sums.cost.int64("the cost of the assets of \(costCenter)"),
                accumulated: try (sums.cost - sums.value).int64("the depreciation of the assets of \(costCenter)"),
                bookValue: try sums.value.int64("the book value of the assets of \(costCenter)"))
        }.sorted { ($0.site, $0.costCenter, $0.currency) < ($1.site, $1.costCenter, $1.currency) }
        return BookValueReport(asOf: date, assets: total, lines: lines, seconds: Date().timeIntervalSince(started))
    }

    /// A fiscal year's depreciation per cost center, each site's fiscal year by its start month.
    public func depreciation(fiscalYear: Int, site: String?, by principal: Principal) async throws -> [DepreciationLine] {
        // Seconds over every asset: on the long-work thread (DomainContext.longRunning).
        try await context.longRunning { try await self.depreciationNow(fiscalYear: fiscalYear, site: site, by: principal) }
    }

    private func depreciationNow(fiscalYear: Int, site: String?, by principal: Principal) async throws -> [DepreciationLine] {
        try principal.require(ITServiceDeskPermissions.assetRead)
        guard (1900...2200).contains(fiscalYear) else { throw VigilError.invalid("fiscalYear", .outOfRange, "must be a year") }
        let startMonths = try await context.database.sql.raw("SELECT id, fiscal_year_start_month FROM it_sites").all().reduce(into: [String: Int]()) {
            $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "fiscal_year_start_month", as: Int.self)
        }
        let groups = try await scan(site: site, principal: principal, into: [GroupKey: YearSums]()) { groups, row in
            let year = FiscalYear(fiscalYear, startMonth: startMonths[row.key.siteID] ?? 1)
            let (from, to) = (year.from, year.to)
            // Not yet bought by the year's end, or gone before it began: not in this year.
            guard row.terms.inService <= to else { return }
            if let disposed = row.disposedOn, disposed < from { return }
            // Opening: the value at the end of the day before the year; an asset bought during the
            // year opens at its cost, so that only its loss of value counts as depreciation.
            let bought = row.terms.inService >= from
            let opening = bought ? row.terms.cost : (Depreciation.bookValue(row.terms, asOf: from.adding(days: -1)) ?? row.terms.cost)
            var sums = groups[row.key, default: YearSums()]
            sums.assets += 1
            sums.opening += opening
            if let disposed = row.disposedOn, disposed <= to {
                // Disposed during the year: it leaves the books at its value of the day before.
                sums.disposals += Depreciation.bookValue(row.terms, asOf: disposed.adding(days: -1)) ?? opening
            } else {
                sums.closing += Depreciation.bookValue(row.terms, asOf: to) ?? opening
            }
            groups[row.key] = sums
        }
        let names = try await GroupNames.load(on: context.database.sql)
        return try groups.map { key, sums in
            let year = FiscalYear(fiscalYear, startMonth: startMonths[key.siteID] ?? 1)
            let costCenter = key.costCenterID.flatMap { names.costCenters[$0] } ?? "(none)"
            return DepreciationLine(
                site: names.sites[key.siteID] ?? key.siteID, costCenter: costCenter,
                currency: key.currency, fiscalYear: fiscalYear, from: year.from, to: year.to, assets: sums.assets,
                opening: try sums.opening.int64("the opening value of \(costCenter)"),
                depreciation: try (sums.opening - sums.disposals - sums.closing).int64("the depreciation of \(costCenter)"),
                disposals: try sums.disposals.int64("the disposals of \(costCenter)"), closing: try sums.closing.int64("the closing value of \(costCenter)"))
        }.sorted { ($0.site, $0.costCenter, $0.currency) < ($1.site, $1.costCenter, $1.currency) }
    }

    struct GroupKey: Hashable, Sendable {
        let siteID: String
        let costCenterID: String?
        let currency: String
    }

    /// Sums in 128 bits (`MoneySum`): a million assets of bounded cost can pass 64 bits.
    struct YearSums: Sendable {
        var assets = 0
        var opening = MoneySum()
        var disposals = MoneySum()
        var closing = MoneySum()
    }

    struct Sums: Sendable {
        var assets = 0
        var cost = MoneySum()
        var value = MoneySum()

        mutating func add(_ bookValue: Int64, cost: Int64) {
            assets += 1
            self.cost += cost
            value += bookValue
        }
    }

    /// One asset as the money runs read it.
    struct BookRow: Sendable {
        let key: GroupKey
        let terms: DepreciationTerms
        let disposedOn: LocalDate?

        /// Nil before purchase; nothing once disposed.
        func bookValue(asOf date: LocalDate) -> Int64? {
            if let disposedOn, disposedOn <= date { return nil }
            return Depreciation.bookValue(terms, asOf: date)
        }
    }

    /// Reads every asset (of a site, of the principal's regions) once, as one streamed query in
    /// the table's own order (no sort, no index walk), handing each row to `visit` as it comes,
    /// so memory stays flat however many there are.
    func scan<State: Sendable>(
        site: String?, principal: Principal, into initial: State,
        _ visit: @escaping @Sendable (inout State, BookRow) -> Void
    ) async throws -> State {
        var query: SQLQueryString =
            "SELECT site_id, cost_center_id, currency, purchase_date, cost, salvage, life_months, depreciation, status, retired_on FROM it_assets"
        if let siteIDs = try await SiteStore.visibleIDs(site: site, principal: principal, context: context) {
            if siteIDs.isEmpty { return initial }
            query += " WHERE site_id IN (\(binds: siteIDs))"
        }
        // Methods are parsed once per distinct text, not once per row.
        let state = try await context.database.sql.fold(query, into: (user: initial, methods: [String: DepreciationMethod]())) { state, row in
            guard let book = try Self.bookRow(row, methods: &state.methods) else { return }
            visit(&state.user, book)
        }
        return state.user
    }

    private static func bookRow(_ row: any SQLRow, methods: inout [String: DepreciationMethod]) throws -> BookRow? {
        let text = try row.decode(column: "depreciation", as: String.self)
        let method: DepreciationMethod
        if let known = methods[text] {
            method = known
        } else {
            guard let parsed = DepreciationMethod(text: text) else { throw StoredValueError(column: "depreciation", value: text, type: "depreciation method") }
            method = parsed
            methods[text] = method
        }
        let purchased = try row.date("purchase_date")
        let status = try row.decode(column: "status", as: String.self)
        let disposedOn = status == AssetStatus.disposed.rawValue ? try row.optionalDate("retired_on") ?? purchased : nil
        return BookRow(
            key: GroupKey(
                siteID: try row.decode(column: "site_id", as: String.self), costCenterID: try row.optional("cost_center_id", as: String.self),
                currency: try row.decode(column: "currency", as: String.self)),
            terms: DepreciationTerms(
                cost: try row.decode(column: "cost", as: Int64.self), salvage: try row.decode(column: "salvage", as: Int64.self),
                lifeMonths: try row.decode(column: "life_months", as: Int.self), inService: purchased, method: method),
            disposedOn: disposedOn)
    }

    struct GroupNames {
        let sites: [String: String]
        let costCenters: [String: String]

        static func load(on sql: any SQLDatabase) async throws -> GroupNames {
            GroupNames(
                sites: try await sql.raw("SELECT id, code FROM it_sites").all().reduce(into: [:]) {
                    $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "code", as: String.self)
                },
                costCenters: try await sql.raw("SELECT id, code FROM it_cost_centers").all().reduce(into: [:]) {
                    $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "code", as: String.self)
                })
        }
    }
}
