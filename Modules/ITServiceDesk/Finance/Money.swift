import Foundation
import Kernel
import SQLKit

/// Budget kinds and categories: how finance slices IT spending.
public enum SpendKind: String, Codable, Sendable, CaseIterable { case capex, opex }
public enum SpendCategory: String, Codable, Sendable, CaseIterable { case hardware, software, links, printing, services }

/// Exchange rates by date: how many units of the reporting currency one unit of a currency is
/// worth from a day on. An amount is converted at the rate in force on its own date.
public struct ExchangeRates: Sendable {
    public let reporting: String
    /// Per currency, (effective day number, rate) sorted by day.
    let table: [String: [(day: Int, rate: Decimal)]]

    public static func load(reporting: String, on sql: any SQLDatabase) async throws -> ExchangeRates {
        var table: [String: [(day: Int, rate: Decimal)]] = [:]
        for row in try await sql.raw("SELECT currency, effective_on, rate FROM it_exchange_rates ORDER BY currency, effective_on").all() {
            guard let day = LocalDate(try row.decode(column: "effective_on", as: String.self)),
                  let rate = Decimal(string: try row.decode(column: "rate", as: String.self), locale: Locale(identifier: "en_US_POSIX")) else { continue }
            table[try row.decode(column: "currency", as: String.self), default: []].append((day.dayNumber, rate))
        }
        return ExchangeRates(reporting: reporting, table: table)
    }

    public func rate(_ currency: String, on date: LocalDate) -> Decimal? {
        if currency == reporting { return 1 }
        guard let rates = table[currency] else { return nil }
        let day = date.dayNumber
        var found: Decimal?
        for entry in rates where entry.day <= day { found = entry.rate }
        return found
    }

    /// `minor` units of `currency` as minor units of the reporting currency, at the rate of `date`,
    /// rounded half to even once at the end.
    public func convert(_ minor: Int64, from currency: String, on date: LocalDate) throws -> Int64 {
        guard let rate = rate(currency, on: date) else {
            throw VigilError(.conflict, "no exchange rate for \(currency) on or before \(date); add one (\(currency) → \(reporting))")
        }
        if currency == reporting { return minor }
        var value = Decimal(minor) * rate
        let shift = Money.minorDigits(reporting) - Money.minorDigits(currency)
        if shift > 0 { for _ in 0..<shift { value *= 10 } } else if shift < 0 { for _ in 0 ..< -shift { value /= 10 } }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .bankers)
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}

/// A fiscal year of a site: from its start month's first day, twelve months.
struct FiscalYear: Sendable {
    let year: Int
    let from: LocalDate
    let to: LocalDate

    init(_ year: Int, startMonth: Int) {
        self.year = year
        from = LocalDate(year: year, month: startMonth, day: 1)!
        to = from.adding(months: 12).adding(days: -1)
    }

    /// The fiscal year a day falls in.
    init(containing date: LocalDate, startMonth: Int) {
        self.init(date.month >= startMonth ? date.year : date.year - 1, startMonth: startMonth)
    }

    func contains(_ date: LocalDate) -> Bool { date >= from && date <= to }
}
