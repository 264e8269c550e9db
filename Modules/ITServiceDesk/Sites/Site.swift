import Calendars
import Foundation
import Kernel
import SQLKit

/// An office: where it is, its clock, its money, its working hours and holidays, and the cost
/// centers that pay for its IT.
public struct Site: Codable, Sendable, Hashable {
    public let id: String
    public let code: String
    public let name: String
    /// ISO 3166-1 alpha-2: decides which national holidays are computed (BR today).
    public let country: String
    public let region: String
    public let timeZone: String
    public let currency: String
    public let fiscalYearStartMonth: Int
    public let hours: [SiteHours]
    public let nationalHolidays: Bool
    /// The site's own holidays (a city's anniversary, a local closure); national ones are computed.
    public let holidays: [Holiday]
    public let costCenters: [CostCenter]
    public let version: Int

    var regionCode: RegionCode { RegionCode(stored: region) }

    /// Every holiday of the site in a year: the country's (computed) and its own.
    public func holidays(in year: Int) -> [Holiday] {
        var all = holidays.filter { $0.date.year == year }
        if nationalHolidays { all += NationalHolidays.of(country: country, year: year) }
        return all.sorted { ($0.date, $0.name) < ($1.date, $1.name) }
    }

    /// The business calendar in force at an instant (the holidays of its local year, the one
    /// before and the two after, enough for any ticket's deadline).
    public func workingCalendar(at instant: Date) -> WorkingCalendar {
        workingCalendar(around: LocalDate(of: instant, in: timeZone).year)
    }

    /// The business calendar SLA clocks run on, with the holidays of the years around `year`.
    public func workingCalendar(around year: Int) -> WorkingCalendar {
        let days = Set((year - 1...year + 2).flatMap { holidays(in: $0).map(\.date) })
        let table = Dictionary(hours.map { ($0.weekday, WorkingCalendar.Hours(opensMinute: $0.opensMinute, closesMinute: $0.closesMinute)) }) { first, _ in
            first
        }
        return WorkingCalendar(timeZone: timeZone, hours: table, holidays: days)
    }
}

extension Site: StoredRow {
    /// The site's own columns alone (no holidays, no cost centers): what its column list is
    /// recorded with. `SiteStore` reads sites by `init(_:holidays:costCenters:)`.
    public init(_ row: RowReader) throws { try self.init(row, holidays: [], costCenters: []) }

    init(_ row: RowReader, holidays: [Holiday], costCenters: [CostCenter]) throws {
        id = try row["id"]
        code = try row["code"]
        name = try row["name"]
        country = try row["country"]
        region = try row["region"]
        timeZone = try row["time_zone"]
        currency = try row["currency"]
        fiscalYearStartMonth = try row["fiscal_year_start_month"]
        hours = SiteHours.parse(try row["hours"])
        nationalHolidays = try row["national_holidays"]
        version = try row["version"]
        self.holidays = holidays
        self.costCenters = costCenters
    }
}

/// Opening hours of one weekday (1 = Monday … 7 = Sunday), local time, "HH:MM".
public struct SiteHours: Codable, Sendable, Hashable {
    public let weekday: Int
    public let opens: String
    public let closes: String

    public init(weekday: Int, opens: String, closes: String) {
        self.weekday = weekday
        self.opens = opens
        self.closes = closes
    }

    var opensMinute: Int { Self.minute(opens) ?? 0 }
    var closesMinute: Int { Self.minute(closes) ?? 0 }

    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }

    /// Monday to Friday, 09:00–18:00.
    public static let officeWeek = (1...5).map { SiteHours(weekday: $0, opens: "09:00", closes: "18:00") }

    /// Stored as `1=09:00-18:00;2=…`.
    static func stored(_ hours: [SiteHours]) -> String {
        hours.sorted { $0.weekday < $1.weekday }.map { "\($0.weekday)=\($0.opens)-\($0.closes)" }.joined(separator: ";")
    }

    static func parse(_ text: String) -> [SiteHours] {
        text.split(separator: ";").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let weekday = Int(parts[0]) else { return nil }
            let span = parts[1].split(separator: "-", maxSplits: 1)
            guard span.count == 2 else { return nil }
            return SiteHours(weekday: weekday, opens: String(span[0]), closes: String(span[1]))
        }
    }
}

/// Who pays: a code finance knows, at a site.
public struct CostCenter: Codable, Sendable, Hashable {
    public let id: String
    public let code: String
    public let name: String
    public let siteId: String
}

/// National holidays computed from rules, per country. Countries without rules here get their
/// holidays as site holidays.
public enum NationalHolidays {
    public static let computedCountries = ["BR"]

    public static func of(country: String, year: Int) -> [Holiday] {
        switch country {
        case "BR": BrazilHolidays.of(year: year)
        default: []
        }
    }
}

public struct SiteInput: Codable, Sendable {
    public var code: String
    public var name: String
    public var country: String
    public var region: String
    public var timeZone: String
    public var currency: String
    public var fiscalYearStartMonth: Int?
    public var hours: [SiteHours]?
    public var nationalHolidays: Bool?

    public init(
        code: String, name: String, country: String, region: String, timeZone: String, currency: String,
        fiscalYearStartMonth: Int? = nil, hours: [SiteHours]? = nil, nationalHolidays: Bool? = nil
    ) {
        self.code = code
        self.name = name
        self.country = country
        self.region = region
        self.timeZone = timeZone
        self.currency = currency
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.hours = hours
        self.nationalHolidays = nationalHolidays
    }
}
