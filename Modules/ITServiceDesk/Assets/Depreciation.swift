import Calendars
import Foundation
import Kernel
import Monetary

/// How an asset loses value over its expected life.
public enum DepreciationMethod: Sendable, Hashable, Codable {
    /// The same amount every month down to the salvage value.
    case straightLine
    /// Each asset year takes `factor` ÷ (life in years) of the value at its start (2 is
    /// double-declining), switching to straight line over the remaining life once that takes more,
    /// and never going below the salvage value.
    case decliningBalance(factor: Double)
}

/// What depreciation is computed from. Money is in minor units (centavos), so sums are exact.
public struct DepreciationTerms: Sendable, Hashable, Codable {
    public let cost: Int64
    public let salvage: Int64
    public let lifeMonths: Int
    /// The asset depreciates from this date's month on, a full month for the month it starts in
    /// (the full-month convention), for `lifeMonths` months.
    public let inService: LocalDate
    public let method: DepreciationMethod

    public init(cost: Int64, salvage: Int64, lifeMonths: Int, inService: LocalDate, method: DepreciationMethod) {
        self.cost = cost
        self.salvage = salvage
        self.lifeMonths = lifeMonths
        self.inService = inService
        self.method = method
    }
}

/// One fiscal year of a depreciation schedule.
public struct DepreciationPeriod: Sendable, Hashable, Codable {
    /// The calendar year in which the fiscal year starts.
    public let fiscalYear: Int
    public let from: LocalDate
    public let to: LocalDate
    public let opening: Int64
    public let depreciation: Int64
    public let closing: Int64
}

public enum Depreciation {
    /// The amount of each month of the life, first month first; they add up to cost − salvage.
    public static func monthly(_ terms: DepreciationTerms) -> [Int64] {
        let life = max(1, terms.lifeMonths)
        let base = max(0, terms.cost - terms.salvage)
        switch terms.method {
        case .straightLine:
            return spread(base, over: life)
        case .decliningBalance(let factor):
            var months: [Int64] = []
            var book = terms.cost
            let annualRate = factor / (Double(life) / 12)
            var start = 0
            while start < life {
                let length = min(12, life - start)
                let remaining = life - start
                let (declining, straight) = blockAmounts(book: book, salvage: terms.salvage, annualRate: annualRate, length: length, remaining: remaining)
                let amount = min(max(declining, straight), book - terms.salvage)
                months += spread(max(0, amount), over: length)
                book -= max(0, amount)
                start += length
            }
            return months
        }
    }

    /// A declining-balance block: the declining amount (capped at what is left to depreciate, so
    /// the Double never leaves Int64's range) and the straight-line amount over the remaining life
    /// for the block's months (its product in 128 bits).
    private static func blockAmounts(book: Int64, salvage: Int64, annualRate: Double, length: Int, remaining: Int) -> (declining: Int64, straight: Int64) {
        let left = max(0, book - salvage)
        let raw = (Double(book) * annualRate * Double(length) / 12).rounded()
        let declining = raw.isFinite ? Int64(min(max(raw, 0), Double(left))) : left
        let straight = left.scaledTruncating(by: Int64(length), over: Int64(remaining)) ?? left
        return (min(declining, left), straight)
    }

    /// `amount` over `count` months, rounded so that the months add up to it exactly.
    static func spread(_ amount: Int64, over count: Int) -> [Int64] {
        let n = Int64(count)
        return (0..<n).map { spreadPrefix(amount, over: count, first: Int($0) + 1) - spreadPrefix(amount, over: count, first: Int($0)) }
    }

    /// The value on the books at the end of `date`: cost less the months whose last day has
    /// passed. Nil before the asset is in service; the salvage value after its life.
    public static func bookValue(_ terms: DepreciationTerms, asOf date: LocalDate) -> Int64? {
        let first = terms.inService.firstOfMonth
        guard date >= terms.inService else { return nil }
        var booked = (date.year - first.year) * 12 + (date.month - first.month)
        if date.isLastDayOfMonth { booked += 1 }
        return terms.cost - accumulated(terms, months: booked)
    }

    /// Depreciation of the first `months` months of the life: the sum of `monthly(terms)`'s
    /// first months, worked out without building the table (the book-value run does a million).
    public static func accumulated(_ terms: DepreciationTerms, months: Int) -> Int64 {
        let life = max(1, terms.lifeMonths)
        let booked = max(0, min(months, life))
        guard booked > 0 else { return 0 }
        switch terms.method {
        case .straightLine:
            return spreadPrefix(max(0, terms.cost - terms.salvage), over: life, first: booked)
        case .decliningBalance(let factor):
            var book = terms.cost
            var total: Int64 = 0
            let annualRate = factor / (Double(life) / 12)
            var start = 0
            while start < booked {
                let length = min(12, life - start)
                let remaining = life - start
                let (declining, straight) = blockAmounts(book: book, salvage: terms.salvage, annualRate: annualRate, length: length, remaining: remaining)
                let amount = max(0, min(max(declining, straight), book - terms.salvage))
                total += booked >= start + length ? amount : spreadPrefix(amount, over: length, first: booked - start)
                book -= amount
                start += length
            }
            return total
        }
    }

    /// The first `first` months of `amount` spread over `count` (as `spread` rounds them).
    static func spreadPrefix(_ amount: Int64, over count: Int, first: Int) -> Int64 {
        // (amount × first × 2 + n) ÷ 2n, rounding halves up, in 128 bits: amount × first passes
        // 64 bits for costs near the input bound and long lives.
        let n = Int128(max(1, count))
        return Int64(exactly: (Int128(amount) * Int128(first) * 2 + n) / (2 * n)) ?? amount
    }

    /// The schedule by fiscal year (starting in `fiscalYearStartMonth`, 1 = January).
    public static func schedule(_ terms: DepreciationTerms, fiscalYearStartMonth: Int = 1) -> [DepreciationPeriod] {
        let months = monthly(terms)
        let firstMonth = terms.inService.firstOfMonth
        var periods: [DepreciationPeriod] = []
        var book = terms.cost
        var index = 0
        while index < months.count {
            let month = firstMonth.adding(months: index)
            let fiscalYear = month.month >= fiscalYearStartMonth ? month.year : month.year - 1
            let fiscalStart = LocalDate.first(ofMonth: fiscalYearStartMonth, year: fiscalYear)
            let fiscalEnd = fiscalStart.adding(months: 12).adding(days: -1)
            var amount: Int64 = 0
            let opening = book
            let from = month
            var last = month
            while index < months.count, firstMonth.adding(months: index) <= fiscalEnd {
                amount += months[index]
                last = firstMonth.adding(months: index)
                index += 1
            }
            book -= amount
            let to = last.lastOfMonth
            periods.append(DepreciationPeriod(fiscalYear: fiscalYear, from: from, to: to, opening: opening, depreciation: amount, closing: book))
        }
        return periods
    }
}
