import Calendars
import Foundation
import ITServiceDesk
import Kernel
import Testing

@Suite struct DepreciationTests {
    func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func straightLineByFiscalYearAgainstAHandComputedTable() {
        // R$ 10,000.00 laptop fleet, R$ 1,000.00 salvage, 5 years, in service mid-April 2026.
        let terms = DepreciationTerms(cost: 1_000_000, salvage: 100_000, lifeMonths: 60, inService: date("2026-04-15"), method: .straightLine)
        #expect(Depreciation.monthly(terms).allSatisfy { $0 == 15_000 })
        let calendarYears = Depreciation.schedule(terms)
        #expect(calendarYears.map(\.fiscalYear) == [2026, 2027, 2028, 2029, 2030, 2031])
        #expect(calendarYears.map(\.depreciation) == [135_000, 180_000, 180_000, 180_000, 180_000, 45_000])
        #expect(calendarYears.first?.from == date("2026-04-01") && calendarYears.last?.to == date("2031-03-31") && calendarYears.last?.closing == 100_000)
        // A fiscal year from July: 2025/26 holds April to June 2026.
        let fromJuly = Depreciation.schedule(terms, fiscalYearStartMonth: 7)
        #expect(fromJuly.map(\.fiscalYear) == [2025, 2026, 2027, 2028, 2029, 2030])
        #expect(fromJuly.map(\.depreciation) == [45_000, 180_000, 180_000, 180_000, 180_000, 135_000])
    }

    @Test func doubleDecliningSwitchesToStraightLineAndStopsAtSalvage() {
        func yearly(_ terms: DepreciationTerms) -> [Int64] {
            let months = Depreciation.monthly(terms)
            return stride(from: 0, to: months.count, by: 12).map { months[$0..<min($0 + 12, months.count)].reduce(0, +) }
        }
        // Salvage 0: 40% a year until straight line over the rest takes more (year 4).
        let noSalvage = DepreciationTerms(cost: 1_000_000, salvage: 0, lifeMonths: 60, inService: date("2026-01-01"), method: .decliningBalance(factor: 2))
        #expect(yearly(noSalvage) == [400_000, 240_000, 144_000, 108_000, 108_000])
        // Salvage 1,000: the last year takes only what is left above it.
        let withSalvage = DepreciationTerms(
            cost: 1_000_000, salvage: 100_000, lifeMonths: 60, inService: date("2026-01-01"), method: .decliningBalance(factor: 2))
        #expect(yearly(withSalvage) == [400_000, 240_000, 144_000, 86_400, 29_600])
        #expect(Depreciation.monthly(withSalvage).reduce(0, +) == 900_000)
    }

    @Test func bookValueBeforeServiceDuringAndAfterTheLife() {
        let terms = DepreciationTerms(cost: 1_000_000, salvage: 100_000, lifeMonths: 60, inService: date("2026-04-15"), method: .straightLine)
        #expect(Depreciation.bookValue(terms, asOf: date("2026-04-14")) == nil)
        #expect(Depreciation.bookValue(terms, asOf: date("2026-04-15")) == 1_000_000)
        #expect(Depreciation.bookValue(terms, asOf: date("2026-04-30")) == 985_000)
        #expect(Depreciation.bookValue(terms, asOf: date("2027-03-31")) == 820_000)
        #expect(Depreciation.bookValue(terms, asOf: date("2031-03-30")) == 115_000)
        #expect(Depreciation.bookValue(terms, asOf: date("2031-03-31")) == 100_000)
        #expect(Depreciation.bookValue(terms, asOf: date("2040-01-01")) == 100_000)
    }

    /// The closed form the book-value run uses agrees with the month table, month by month.
    @Test(arguments: [DepreciationMethod.straightLine, .decliningBalance(factor: 2), .decliningBalance(factor: 1.5)])
    func accumulatedMatchesTheMonthlyTable(_ method: DepreciationMethod) {
        for (cost, salvage, life) in [(Int64(360_000), Int64(0), 36), (1_000_001, 99_999, 60), (7, 1, 5), (549_990, 50_000, 47)] {
            let terms = DepreciationTerms(cost: cost, salvage: salvage, lifeMonths: life, inService: LocalDate("2026-01-31")!, method: method)
            let months = Depreciation.monthly(terms)
            var running: Int64 = 0
            var mismatches = 0
            for month in 0...(life + 3) {
                if month > 0 && month <= months.count { running += months[month - 1] }
                if Depreciation.accumulated(terms, months: month) != running { mismatches += 1 }
            }
            #expect(mismatches == 0)
        }
    }
}
