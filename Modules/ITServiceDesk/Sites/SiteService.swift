import Calendars
import Foundation
import Kernel
import Monetary
import SQLKit

/// Offices, their business calendars and cost centers. Every change is audited.
public struct SiteService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public func create(_ input: SiteInput, by invocation: Invocation) async throws -> Site {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.deskManage)
        var validator = Validator()
        let code = input.code.trimmingCharacters(in: .whitespaces).uppercased()
        validator.check(Self.isCode(code), "code", .format, "must be 2 to 20 letters, digits or dashes, like SP-HQ")
        validator.check((1...120).contains(input.name.trimmingCharacters(in: .whitespaces).count), "name", .invalid, "must be 1 to 120 characters")
        validator.check(
            input.country.count == 2 && input.country.allSatisfy { $0.isASCII && $0.isUppercase }, "country", .format, "must be an ISO 3166 code such as BR")
        let region = validator.region(input.region)
        validator.check(
            TimeZone(identifier: input.timeZone) != nil, "timeZone", .notAllowed, "'\(input.timeZone)' is not an IANA time zone such as America/Sao_Paulo")
        validator.check(Money.isCurrencyCode(input.currency), "currency", .format, "must be an ISO 4217 code such as BRL")
        validator.check((1...12).contains(input.fiscalYearStartMonth ?? 1), "fiscalYearStartMonth", .outOfRange, "must be a month, 1 to 12")
        let hours = input.hours ?? SiteHours.officeWeek
        Self.check(hours, into: &validator)
        try validator.finish()
        try await context.requireWritable(region!, by: principal)
        let id = context.ids.next().lowercased
        // After commit, so that no list reloads the names before the site is there.
        defer { AssetNames.cache.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            if try await tx.sql.raw("SELECT id FROM it_sites WHERE code = \(bind: code)").first() != nil {
                throw VigilError(.conflict, "a site with code \(code) exists already")
            }
            try await tx.sql.raw(
                """
                INSERT INTO it_sites (id, code, name, country, region, time_zone, currency, fiscal_year_start_month, hours, national_holidays, created_at, updated_at, version)
                VALUES (\(bind: id), \(bind: code), \(bind: input.name.trimmingCharacters(in: .whitespaces)), \(bind: input.country), \(bind: region!.rawValue),
                        \(bind: input.timeZone), \(bind: input.currency), \(bind: input.fiscalYearStartMonth ?? 1), \(bind: SiteHours.stored(hours)),
                        \(bind: input.nationalHolidays ?? true), \(bind: tx.now.epochMicros), \(bind: tx.now.epochMicros), 1)
                """
            ).run()
            let site = try await SiteStore.load(code: code, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.site.create", entity: EntityRef("it-service-desk.site", id), region: region,
                    changes: try FieldChange.diff(before: Optional<Site>.none, after: site), isCreation: true))
            return site
        }
    }

    /// Changes a site's name, hours, fiscal year or whether national holidays apply.
    public func update(code: String, _ change: SiteChange, expectedVersion: Int, by invocation: Invocation) async throws -> Site {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        let before = try await get(code, by: invocation.principal)
        var validator = Validator()
        if let name = change.name { validator.check((1...120).contains(name.count), "name", .invalid, "must be 1 to 120 characters") }
        if let month = change.fiscalYearStartMonth {
            validator.check((1...12).contains(month), "fiscalYearStartMonth", .outOfRange, "must be a month, 1 to 12")
        }
        if let hours = change.hours { Self.check(hours, into: &validator) }
        try validator.finish()
        return try await context.transaction(invocation) { tx in
            var assignments: [(column: String, value: any Encodable & Sendable)] = [("updated_at", tx.now.epochMicros)]
            if let name = change.name { assignments.append(("name", name)) }
            if let month = change.fiscalYearStartMonth { assignments.append(("fiscal_year_start_month", month)) }
            if let hours = change.hours { assignments.append(("hours", SiteHours.stored(hours))) }
            if let national = change.nationalHolidays { assignments.append(("national_holidays", national)) }
            _ = try await tx.updateVersioned(
                table: "it_sites", id: before.id, expectedVersion: expectedVersion, entity: "site \(code)", assignments: assignments)
            let after = try await SiteStore.load(code: before.code, on: tx.sql).orInternal("the record")
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.site.update", entity: EntityRef("it-service-desk.site", before.id), region: before.regionCode,
                    changes: try FieldChange.diff(before: before, after: after)))
            return after
        }
    }

    public func get(_ code: String, by principal: Principal) async throws -> Site {
        guard let site = try await SiteStore.load(code: code.uppercased(), on: context.database.sql) else { throw VigilError.notFound("site \(code)") }
        try context.authorization.requireVisible(principal, region: site.regionCode, entity: "site \(code)")
        return site
    }

    public func sites(region: RegionCode?, by principal: Principal) async throws -> [Site] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Site.columns) FROM it_sites"
        if let region { query += " WHERE region = \(bind: region.rawValue)" }
        query += " ORDER BY code LIMIT 1000"
        let rows = try await context.database.sql.raw(query).all()
        var sites: [Site] = []
        for row in rows {
            let code = try row.decode(column: "code", as: String.self)
            guard principal.canAccess(RegionCode(stored: try row.decode(column: "region", as: String.self))) else { continue }
            if let site = try await SiteStore.load(code: code, on: context.database.sql) { sites.append(site) }
        }
        return sites
    }

    /// Adds (or renames) a site holiday.
    public func addHoliday(site code: String, date: LocalDate, name: String, by invocation: Invocation) async throws -> Site {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        let site = try await get(code, by: invocation.principal)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...80).contains(trimmed.count) else { throw VigilError.invalid("name", .invalid, "must be 1 to 80 characters") }
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_site_holidays (site_id, day, name) VALUES (\(bind: site.id), \(bind: date.description), \(bind: trimmed))
                ON CONFLICT (site_id, day) DO UPDATE SET name = excluded.name
                """
            ).run()
            try await tx.sql.raw("UPDATE it_sites SET version = version + 1, updated_at = \(bind: tx.now.epochMicros) WHERE id = \(bind: site.id)").run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.site.holiday.add", entity: EntityRef("it-service-desk.site", site.id), region: site.regionCode,
                    changes: [FieldChange(field: "holiday", before: nil, after: .string("\(date) \(trimmed)"))]))
            return try await SiteStore.load(code: site.code, on: tx.sql).orInternal("the record")
        }
    }

    public func removeHoliday(site code: String, date: LocalDate, by invocation: Invocation) async throws -> Site {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        let site = try await get(code, by: invocation.principal)
        guard let holiday = site.holidays.first(where: { $0.date == date }) else { throw VigilError.notFound("holiday \(date) of site \(site.code)") }
        return try await context.transaction(invocation) { tx in
            try await tx.sql.raw("DELETE FROM it_site_holidays WHERE site_id = \(bind: site.id) AND day = \(bind: date.description)").run()
            try await tx.sql.raw("UPDATE it_sites SET version = version + 1, updated_at = \(bind: tx.now.epochMicros) WHERE id = \(bind: site.id)").run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.site.holiday.remove", entity: EntityRef("it-service-desk.site", site.id), region: site.regionCode,
                    changes: [FieldChange(field: "holiday", before: .string("\(date) \(holiday.name)"), after: nil)]))
            return try await SiteStore.load(code: site.code, on: tx.sql).orInternal("the record")
        }
    }

    public func addCostCenter(site code: String, costCenter: String, name: String, by invocation: Invocation) async throws -> CostCenter {
        try invocation.principal.require(ITServiceDeskPermissions.deskManage)
        let site = try await get(code, by: invocation.principal)
        var validator = Validator()
        let ccCode = costCenter.trimmingCharacters(in: .whitespaces).uppercased()
        validator.check(Self.isCode(ccCode), "code", .format, "must be 2 to 20 letters, digits or dashes, like CC-1020")
        validator.check((1...120).contains(name.count), "name", .invalid, "must be 1 to 120 characters")
        try validator.finish()
        let center = CostCenter(id: context.ids.next().lowercased, code: ccCode, name: name, siteId: site.id)
        defer { AssetNames.cache.invalidateAll() }
        return try await context.transaction(invocation) { tx in
            if try await tx.sql.raw("SELECT id FROM it_cost_centers WHERE code = \(bind: ccCode)").first() != nil {
                throw VigilError(.conflict, "cost center \(ccCode) exists already")
            }
            try await tx.sql.raw(
                "INSERT INTO it_cost_centers (id, code, name, site_id, created_at) VALUES (\(bind: center.id), \(bind: ccCode), \(bind: name), \(bind: site.id), \(bind: tx.now.epochMicros))"
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.cost-center.create", entity: EntityRef("it-service-desk.cost-center", center.id), region: site.regionCode,
                    changes: try FieldChange.diff(before: Optional<CostCenter>.none, after: center), isCreation: true))
            return center
        }
    }

    /// The days off of a site in a year, national and its own, each with where it comes from.
    public func calendar(site code: String, year: Int, by principal: Principal) async throws -> SiteCalendar {
        guard (1900...2200).contains(year) else { throw VigilError.invalid("year", .outOfRange, "must be 1900 to 2200") }
        let site = try await get(code, by: principal)
        let own = Set(site.holidays.map(\.date))
        let days = site.holidays(in: year).map { SiteCalendar.Day(date: $0.date, name: $0.name, source: own.contains($0.date) ? "site" : "national") }
        return SiteCalendar(site: site.code, year: year, timeZone: site.timeZone, hours: site.hours, holidays: days)
    }

    static func check(_ hours: [SiteHours], into validator: inout Validator) {
        validator.check(Set(hours.map(\.weekday)).count == hours.count, "hours", .invalid, "each weekday at most once")
        for (index, day) in hours.enumerated() {
            validator.check((1...7).contains(day.weekday), "hours[\(index)].weekday", .outOfRange, "must be 1 (Monday) to 7 (Sunday)")
            let opens = SiteHours.minute(day.opens)
            let closes = SiteHours.minute(day.closes)
            validator.check(opens != nil, "hours[\(index)].opens", .format, "must be HH:MM")
            validator.check(closes != nil, "hours[\(index)].closes", .format, "must be HH:MM")
            if let opens, let closes { validator.check(closes > opens, "hours[\(index)].closes", .outOfRange, "must be after opens") }
        }
    }

    static func isCode(_ text: String) -> Bool {
        (2...20).contains(text.count) && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
    }
}

public struct SiteChange: Codable, Sendable {
    public var name: String?
    public var fiscalYearStartMonth: Int?
    public var hours: [SiteHours]?
    public var nationalHolidays: Bool?

    public init(name: String? = nil, fiscalYearStartMonth: Int? = nil, hours: [SiteHours]? = nil, nationalHolidays: Bool? = nil) {
        self.name = name
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.hours = hours
        self.nationalHolidays = nationalHolidays
    }
}

public struct SiteCalendar: Codable, Sendable {
    public struct Day: Codable, Sendable, Hashable {
        public let date: LocalDate
        public let name: String
        /// `national` (computed for the country) or `site`.
        public let source: String
    }
    public let site: String
    public let year: Int
    public let timeZone: String
    public let hours: [SiteHours]
    public let holidays: [Day]
}

/// Reads sites with their holidays and cost centers.
enum SiteStore {
    /// The sites a whole-table read may cover: the one named (if visible), or those of the
    /// principal's regions; nil when every site is.
    static func visibleIDs(site: String?, principal: Principal, context: DomainContext) async throws -> [String]? {
        let sql = context.database.sql
        if let site {
            let row = try await sql.raw("SELECT id, region FROM it_sites WHERE code = \(bind: site.uppercased())").first()
            let region = try row.map { RegionCode(stored: try $0.decode(column: "region", as: String.self)) }
            let found = try context.authorization.referenced(
                row.map { ($0, region!) }, region: \.1, by: principal, field: "site", "\(site) is not a site you may use")
            return [try found.0.decode(column: "id", as: String.self)]
        }
        guard let regions = principal.regions.filter else { return nil }
        return try await sql.select().column("id").from("it_sites").where("region", .in, regions.map(\.rawValue)).all().map {
            try $0.decode(column: "id", as: String.self)
        }
    }

    static func load(code: String, on sql: any SQLDatabase) async throws -> Site? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Site.columns) FROM it_sites WHERE code = \(bind: code)").first() else { return nil }
        return try await site(row, on: sql)
    }

    static func load(id: String, on sql: any SQLDatabase) async throws -> Site? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Site.columns) FROM it_sites WHERE id = \(bind: id)").first() else { return nil }
        return try await site(row, on: sql)
    }

    private static func site(_ row: any SQLRow, on sql: any SQLDatabase) async throws -> Site {
        let id = try row.decode(column: "id", as: String.self)
        let holidays = try await sql.raw("SELECT day, name FROM it_site_holidays WHERE site_id = \(bind: id) ORDER BY day").all().map { row -> Holiday in
            Holiday(date: try row.date("day"), name: try row.decode(column: "name", as: String.self))
        }
        let centers = try await sql.raw("SELECT id, code, name, site_id FROM it_cost_centers WHERE site_id = \(bind: id) ORDER BY code").all().map { row in
            CostCenter(
                id: try row.decode(column: "id", as: String.self), code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self), siteId: try row.decode(column: "site_id", as: String.self))
        }
        return try Site(RowReader(row), holidays: holidays, costCenters: centers)
    }
}
