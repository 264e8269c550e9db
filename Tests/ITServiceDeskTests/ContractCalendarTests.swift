import Calendars
import Foundation
import ITServiceDesk
import Kernel
import Testing

@Suite struct ContractCalendarTests {
    func date(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func termsFromMonthEndsAndLeapDaysNeverDrift() {
        let monthly = ContractTerms(start: date("2026-01-31"), initialTermMonths: 1, renewalTermMonths: 1, notice: .days(10), tacitRenewal: true)
        let bounds = (0..<4).map { ContractCalendar.term($0, of: monthly) }
        #expect(bounds.map(\.start) == [date("2026-01-31"), date("2026-03-01"), date("2026-03-31"), date("2026-05-01")])
        #expect(bounds.map(\.end) == [date("2026-02-28"), date("2026-03-30"), date("2026-04-30"), date("2026-05-30")])
        let leap = ContractTerms(start: date("2028-02-29"), initialTermMonths: 12, renewalTermMonths: 12, notice: .months(2), tacitRenewal: true)
        let years = (0..<5).map { ContractCalendar.term($0, of: leap) }
        #expect(years.map(\.end) == [date("2029-02-28"), date("2030-02-28"), date("2031-02-28"), date("2032-02-28"), date("2033-02-28")])
        #expect(years.map(\.start) == [date("2028-02-29"), date("2029-03-01"), date("2030-03-01"), date("2031-03-01"), date("2032-02-29")])
        // Two months' notice before 28 February 2029 and before 31 March: the shorter month's end.
        #expect(ContractCalendar.deadline(before: date("2029-02-28"), notice: .months(2)) == date("2028-12-28"))
        #expect(ContractCalendar.deadline(before: date("2026-03-31"), notice: .months(1)) == date("2026-02-28"))
        #expect(ContractCalendar.deadline(before: date("2027-01-30"), notice: .days(90)) == date("2026-11-01"))
    }

    @Test func tacitRenewalNoticeWindowAndTermination() {
        let lease = ContractTerms(start: date("2026-01-31"), initialTermMonths: 12, renewalTermMonths: 12, notice: .days(90), tacitRenewal: true)
        let june = ContractCalendar.state(of: lease, on: date("2026-06-01"))
        #expect(
            june.status == .active && june.termEnd == date("2027-01-30") && june.noticeDeadline == date("2026-11-01") && june.nextRenewal == date("2027-01-31"))
        #expect(ContractCalendar.state(of: lease, on: date("2026-10-15")).status == .inNoticeWindow)
        #expect(ContractCalendar.state(of: lease, on: date("2026-11-02")).status == .active)  // too late: it will renew
        let renewed = ContractCalendar.state(of: lease, on: date("2027-02-10"))
        #expect(renewed.status == .renewed && renewed.term == 1 && renewed.termEnd == date("2028-01-30") && renewed.nextRenewal == date("2028-01-31"))

        let inTime = ContractTerms(
            start: lease.start, initialTermMonths: 12, renewalTermMonths: 12, notice: .days(90), tacitRenewal: true, noticeGivenOn: date("2026-11-01"))
        let ending = ContractCalendar.state(of: inTime, on: date("2026-12-01"))
        #expect(ending.status == .expiring && ending.nextRenewal == nil && ending.termEnd == date("2027-01-30"))
        let over = ContractCalendar.state(of: inTime, on: date("2027-02-01"))
        #expect(over.status == .terminated && over.term == 0 && over.termEnd == date("2027-01-30"))

        let late = ContractTerms(
            start: lease.start, initialTermMonths: 12, renewalTermMonths: 12, notice: .days(90), tacitRenewal: true, noticeGivenOn: date("2026-11-02"))
        let oneMore = ContractCalendar.state(of: late, on: date("2027-02-01"))
        #expect(oneMore.status == .expiring && oneMore.term == 1 && oneMore.termEnd == date("2028-01-30"))
        #expect(ContractCalendar.state(of: late, on: date("2028-01-31")).status == .terminated)
    }

    @Test func withoutTacitRenewalTheContractExpires() {
        let subscription = ContractTerms(start: date("2026-01-01"), initialTermMonths: 12, renewalTermMonths: 12, notice: .days(30), tacitRenewal: false)
        #expect(ContractCalendar.state(of: subscription, on: date("2026-06-01")).status == .active)
        let december = ContractCalendar.state(of: subscription, on: date("2026-12-10"))
        #expect(december.status == .expiring && december.nextRenewal == nil && december.termEnd == date("2026-12-31"))
        #expect(ContractCalendar.state(of: subscription, on: date("2027-01-01")).status == .expired)
    }
}
