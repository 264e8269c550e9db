import Foundation
import Kernel
import SQLKit

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
    public let depreciation: Int64
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
        let asset = try await AssetService(context: context).asset(tag, by: principal)
        guard let site = try await SiteStore.load(code: asset.site, on: context.database.sql) else { throw VigilError.notFound("site \(asset.site)") }
        let today = site.workingCalendar(at: context.clock.now()).localDate(of: context.clock.now())
        return AssetSchedule(tag: asset.tag, currency: asset.currency, method: asset.depreciation, bookValueToday: Depreciation.bookValue(asset.terms, asOf: today),
                             periods: Depreciation.schedule(asset.terms, fiscalYearStartMonth: site.fiscalYearStartMonth))
    }

    public func bookValues(asOf date: LocalDate, site: String?, by principal: Principal) async throws -> BookValueReport {
        try principal.require(ITServiceDeskPermissions.assetRead)
        let started = Date()
        var groups: [GroupKey: (assets: Int, cost: Int64, book: Int64)] = [:]
        var total = 0
        try await scan(site: site, principal: principal) { row in
            guard let value = row.bookValue(asOf: date) else { return }
            total += 1
            groups[row.key, default: (0, 0, 0)].assets += 1
            groups[row.key]!.cost += row.terms.cost
            groups[row.key]!.book += value
        }
        let names = try await GroupNames.load(on: context.database.sql)
        let lines = groups.map { key, sums in
            BookValueLine(site: names.sites[key.siteID] ?? key.siteID, costCenter: key.costCenterID.flatMap { names.costCenters[$0] } ?? "(none)", currency: key.currency,
                          assets: sums.assets, cost: sums.cost, accumulated: sums.cost - sums.book, bookValue: sums.book)
        }.sorted { ($0.site, $0.costCenter, $0.currency) < ($1.site, $1.costCenter, $1.currency) }
        return BookValueReport(asOf: date, assets: total, lines: lines, seconds: Date().timeIntervalSince(started))
    }

    /// A fiscal year's depreciation per cost center, each site's fiscal year by its start month.
    public func depreciation(fiscalYear: Int, site: String?, by principal: Principal) async throws -> [DepreciationLine] {
        try principal.require(ITServiceDeskPermissions.assetRead)
        guard (1900...2200).contains(fiscalYear) else { throw VigilError.invalid("fiscalYear", .outOfRange, "must be a year") }
        let startMonths = try await context.database.sql.raw("SELECT id, fiscal_year_start_month FROM it_sites").all().reduce(into: [String: Int]()) {
            $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "fiscal_year_start_month", as: Int.self)
        }
        var groups: [GroupKey: (assets: Int, opening: Int64, closing: Int64)] = [:]
        try await scan(site: site, principal: principal) { row in
            let month = startMonths[row.key.siteID] ?? 1
            let from = LocalDate(year: fiscalYear, month: month, day: 1)!
            let to = from.adding(months: 12).adding(days: -1)
            // Opening: the value at the end of the day before the year; an asset bought during the
            // year opens at its cost, so that only its loss of value counts as depreciation.
            guard let closing = row.bookValue(asOf: to) else { return }
            let bought = row.terms.inService >= from
            let opening = bought ? row.terms.cost : (row.bookValue(asOf: from.adding(days: -1)) ?? row.terms.cost)
            groups[row.key, default: (0, 0, 0)].assets += 1
            groups[row.key]!.opening += opening
            groups[row.key]!.closing += closing
        }
        let names = try await GroupNames.load(on: context.database.sql)
        return groups.map { key, sums in
            let month = startMonths[key.siteID] ?? 1
            let from = LocalDate(year: fiscalYear, month: month, day: 1)!
            return DepreciationLine(site: names.sites[key.siteID] ?? key.siteID, costCenter: key.costCenterID.flatMap { names.costCenters[$0] } ?? "(none)",
                                    currency: key.currency, fiscalYear: fiscalYear, from: from, to: from.adding(months: 12).adding(days: -1), assets: sums.assets,
                                    opening: sums.opening, depreciation: sums.opening - sums.closing, closing: sums.closing)
        }.sorted { ($0.site, $0.costCenter, $0.currency) < ($1.site, $1.costCenter, $1.currency) }
    }

    struct GroupKey: Hashable {
        let siteID: String
        let costCenterID: String?
        let currency: String
    }

    /// One asset as the money runs read it.
    struct BookRow {
        let key: GroupKey
        let terms: DepreciationTerms
        let disposedOn: LocalDate?

        /// Nil before purchase; nothing once disposed.
        func bookValue(asOf date: LocalDate) -> Int64? {
            if let disposedOn, disposedOn <= date { return nil }
            return Depreciation.bookValue(terms, asOf: date)
        }
    }

    /// Reads every asset (of a site, of the principal's regions) once, in id order, a page at a
    /// time, so memory stays flat however many there are.
    func scan(site: String?, principal: Principal, _ visit: (BookRow) throws -> Void) async throws {
        let sql = context.database.sql
        var siteIDs: [String]?
        if let site {
            guard let found = try await SiteStore.load(code: site.uppercased(), on: sql) else { throw VigilError.invalid("site", .notAllowed, "\(site) is not a site") }
            try context.authorization.requireVisible(principal, region: found.regionCode, entity: "site \(site)")
            siteIDs = [found.id]
        } else if let regions = principal.regions.filter {
            siteIDs = try await sql.select().column("id").from("it_sites").where("region", .in, regions.map(\.rawValue)).all().map { try $0.decode(column: "id", as: String.self) }
        }
        if let siteIDs, siteIDs.isEmpty { return }
        var methods: [String: DepreciationMethod] = [:]
        var last = ""
        while true {
            var query: SQLQueryString = """
                SELECT id, site_id, cost_center_id, currency, purchase_date, cost, salvage, life_months, depreciation, status, retired_on
                FROM it_assets WHERE id > \(bind: last)
                """
            if let siteIDs { query += " AND site_id IN (\(binds: siteIDs))" }
            query += " ORDER BY id LIMIT 20000"
            let rows = try await sql.raw(query).all()
            guard !rows.isEmpty else { return }
            for row in rows {
                let text = try row.decode(column: "depreciation", as: String.self)
                let method: DepreciationMethod
                if let known = methods[text] { method = known } else {
                    method = DepreciationMethod(text: text) ?? .straightLine
                    methods[text] = method
                }
                guard let purchased = LocalDate(try row.decode(column: "purchase_date", as: String.self)) else { continue }
                let status = try row.decode(column: "status", as: String.self)
                let disposedOn = status == AssetStatus.disposed.rawValue ? (try row.optional("retired_on", as: String.self)).flatMap(LocalDate.init) ?? purchased : nil
                try visit(BookRow(key: GroupKey(siteID: try row.decode(column: "site_id", as: String.self), costCenterID: try row.optional("cost_center_id", as: String.self),
                                                currency: try row.decode(column: "currency", as: String.self)),
                                  terms: DepreciationTerms(cost: try row.decode(column: "cost", as: Int64.self), salvage: try row.decode(column: "salvage", as: Int64.self),
                                                           lifeMonths: try row.decode(column: "life_months", as: Int.self), inService: purchased, method: method),
                                  disposedOn: disposedOn))
            }
            last = try rows.last!.decode(column: "id", as: String.self)
        }
    }

    struct GroupNames {
        let sites: [String: String]
        let costCenters: [String: String]

        static func load(on sql: any SQLDatabase) async throws -> GroupNames {
            GroupNames(sites: try await sql.raw("SELECT id, code FROM it_sites").all().reduce(into: [:]) { $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "code", as: String.self) },
                       costCenters: try await sql.raw("SELECT id, code FROM it_cost_centers").all().reduce(into: [:]) { $0[try $1.decode(column: "id", as: String.self)] = try $1.decode(column: "code", as: String.self) })
        }
    }
}
