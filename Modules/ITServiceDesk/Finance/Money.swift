import Calendars
import Foundation
import Kernel
import Monetary
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
            let day = try row.date("effective_on")
            let text = try row.decode(column: "rate", as: String.self)
            guard let rate = RateText.parse(text) else { throw StoredValueError(column: "rate", value: text, type: "exchange rate") }
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
        // int64Value wraps silently past 64 bits (Int64.max × 2 came out as -2).
        guard rounded >= Decimal(Int64.min), rounded <= Decimal(Int64.max), let exact = Int64(rounded.description) else {
            throw VigilError.outOfRange("\(MoneyText.text(minor, currency: currency)) \(currency) in \(reporting)")
        }
        return exact
    }
}

/// Decimal ratios as people type them (exchange rates, devices per person): ASCII digits with at
/// most one point, nothing else. `Decimal(string:)` alone reads a prefix ("12abc" is 12, "1.2.3"
/// is 1.2) and takes "5½", so the stored text and the value used could differ.
enum DecimalText {
    static func parse(_ text: String, wholeDigits: Int = 9, fractionDigits: Int = 10) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= wholeDigits,
            parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].count <= fractionDigits)
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

enum RateText {
    /// A stored or typed exchange rate: positive, at most 1,000,000 with 10 decimals.
    static func parse(_ text: String) -> Decimal? {
        guard let rate = DecimalText.parse(text, wholeDigits: 7), rate > 0, rate <= 1_000_000 else { return nil }
        return rate
    }
}

/// A fiscal year of a site: from its start month's first day, twelve months.
struct FiscalYear: Sendable {
    let year: Int
    let from: LocalDate
    let to: LocalDate

    /// Any year and any month arithmetic is total (LocalDate), so a fiscal year of a far date is
    /// a far fiscal year, not a crash; a stored start month outside 1...12 counts as January.
    init(_ year: Int, startMonth: Int) {
        self.year = year
        from = LocalDate.first(ofMonth: startMonth, year: year)
        to = from.adding(months: 12).adding(days: -1)
    }

    /// The fiscal year a day falls in.
    init(containing date: LocalDate, startMonth: Int) {
        self.init(date.month >= startMonth ? date.year : date.year - 1, startMonth: startMonth)
    }

    func contains(_ date: LocalDate) -> Bool { date >= from && date <= to }
}
