import Calendars
import Foundation
import Kernel
import Testing

@Suite struct CalendarTests {
    func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func easterAndBrazilsMovableHolidaysForSeveralYears() {
        let easters = [
            2000: "2000-04-23", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25",
        ]
        for (year, expected) in easters { #expect(Easter.sunday(year: year) == date(expected), "Easter \(year)") }
        func named(_ year: Int, _ name: String) -> [LocalDate] { BrazilHolidays.of(year: year).filter { $0.name.hasPrefix(name) }.map(\.date) }
        #expect(named(2025, "Carnaval") == [date("2025-03-03"), date("2025-03-04")])
        #expect(named(2026, "Carnaval") == [date("2026-02-16"), date("2026-02-17")])
        #expect(named(2026, "Corpus Christi") == [date("2026-06-04")])
        #expect(named(2026, "Sexta-feira Santa") == [date("2026-04-03")])
        #expect(named(2023, "Dia Nacional de Zumbi").isEmpty && named(2024, "Dia Nacional de Zumbi") == [date("2024-11-20")])
        #expect(BrazilHolidays.of(year: 2026).count == 13)
    }

    @Test func datesCountDaysAndMonthsAcrossMonthEndsAndLeapYears() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil && LocalDate(year: 2028, month: 2, day: 29) != nil && LocalDate("2026-13-01") == nil)
        #expect(date("2026-01-31").adding(months: 1) == date("2026-02-28"))
        #expect(date("2028-01-31").adding(months: 1) == date("2028-02-29"))
        #expect(date("2028-02-29").adding(months: 12) == date("2029-02-28"))
        #expect(date("2028-02-29").adding(months: 48) == date("2032-02-29"))
        #expect(date("2026-03-31").adding(months: -1) == date("2026-02-28"))
        #expect(date("2026-12-31").adding(days: 1) == date("2027-01-01"))
        #expect(date("2026-11-25").isoWeekday == 3 && date("1970-01-01").isoWeekday == 4 && date("1969-12-28").isoWeekday == 7)
        for number in stride(from: -800_000, through: 800_000, by: 997) { #expect(LocalDate(dayNumber: number).dayNumber == number) }
        #expect(date("1970-01-01").dayNumber == 0 && date("2000-03-01").dayNumber == 11_017)
    }

    @Test func workingTimeSkipsNightsWeekendsAndHolidays() {
        let saoPaulo = WorkingCalendar.weekdays(timeZone: "America/Sao_Paulo", holidays: Set(BrazilHolidays.of(year: 2026).map(\.date)))
        // Friday 13 February 2026, 17:00 in São Paulo (UTC-3); Monday and Tuesday are Carnival.
        let friday = ISO8601.parse("2026-02-13T20:00:00Z")!
        #expect(saoPaulo.add(2 * 3600, to: friday) == ISO8601.parse("2026-02-18T13:00:00Z")!)  // Wednesday 10:00
        #expect(saoPaulo.seconds(from: friday, to: ISO8601.parse("2026-02-18T13:00:00Z")!) == 2 * 3600)
        // Started on a Saturday: the clock waits for Monday's opening.
        #expect(saoPaulo.add(60, to: ISO8601.parse("2026-03-07T15:00:00Z")!) == ISO8601.parse("2026-03-09T12:01:00Z")!)
        #expect(saoPaulo.seconds(from: ISO8601.parse("2026-03-07T15:00:00Z")!, to: ISO8601.parse("2026-03-08T15:00:00Z")!) == 0)
        #expect(!saoPaulo.isWorkingDay(date("2026-06-04")) && saoPaulo.isWorkingDay(date("2026-06-05")))
    }
}
