import Calendars
import Foundation
import Kernel

/// How long before a term ends the other party must hear that the contract will not go on.
public enum NoticePeriod: Sendable, Hashable, Codable {
    case days(Int)
    case months(Int)
}

/// The dates of a contract, from which every derived date is computed (never typed by hand).
public struct ContractTerms: Sendable, Hashable, Codable {
    public let start: LocalDate
    public let initialTermMonths: Int
    /// Each automatic renewal's length (used only with tacit renewal).
    public let renewalTermMonths: Int
    public let notice: NoticePeriod
    /// Renews by itself at each term end unless notice was given in time.
    public let tacitRenewal: Bool
    /// The day notice of termination was given, if it was.
    public let noticeGivenOn: LocalDate?

    public init(start: LocalDate, initialTermMonths: Int, renewalTermMonths: Int, notice: NoticePeriod, tacitRenewal: Bool, noticeGivenOn: LocalDate? = nil) {
        self.start = start
        self.initialTermMonths = initialTermMonths
        self.renewalTermMonths = renewalTermMonths
        self.notice = notice
        self.tacitRenewal = tacitRenewal
        self.noticeGivenOn = noticeGivenOn
    }
}

/// Where a contract stands on a day.
public struct ContractState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case active
        /// Within `alertDays` of the notice deadline, while notice can still be given.
        case inNoticeWindow = "in-notice-window"
        /// Will end at the current term's end (no tacit renewal, or notice given in time).
        case expiring
        case expired
        /// Running in a term it renewed into by itself.
        case renewed
        case terminated
    }

    public let status: Status
    /// 0 for the initial term, then 1, 2… for renewals.
    public let term: Int
    public let termStart: LocalDate
    /// The last day of the current (or, once over, the final) term.
    public let termEnd: LocalDate
    /// The last day notice can be given for the contract to end at `termEnd`.
    public let noticeDeadline: LocalDate
    /// The day the next term would start; nil when the contract will not renew.
    public let nextRenewal: LocalDate?
}

/// Contract date arithmetic. Terms are counted from the original start, never chained, so a short
/// month never shifts later terms; and a term of months ends, as Brazil's Civil Code (art. 132 §3)
/// counts, the day before the same day number months later, or where that month has no such day,
/// at that month's end: a 12-month term from 29 February 2028 runs to 28 February 2029, a 1-month
/// term from 31 January to the last day of February.
public enum ContractCalendar {
    /// The day the term `months` after `start` begins.
    public static func anniversary(of start: LocalDate, months: Int) -> LocalDate {
        let same = start.adding(months: months)
        // No such day in that month: the term runs through its last day, the next starts after.
        return same.day < start.day ? same.adding(days: 1) : same
    }

    public static func deadline(before termEnd: LocalDate, notice: NoticePeriod) -> LocalDate {
        switch notice {
        case .days(let days):
            return termEnd.adding(days: -days)
        case .months(let months):
            // The same day `months` earlier than the term's end, or that month's last day when it is
            // shorter: the earlier of the possible readings, so an alert is never late.
            return termEnd.adding(months: -months)
        }
    }

    /// The bounds of term `index` (0: the initial term).
    public static func term(_ index: Int, of terms: ContractTerms) -> (start: LocalDate, end: LocalDate) {
        let startMonths = index == 0 ? 0 : terms.initialTermMonths + (index - 1) * terms.renewalTermMonths
        let endMonths = terms.initialTermMonths + index * terms.renewalTermMonths
        return (anniversary(of: terms.start, months: startMonths), anniversary(of: terms.start, months: endMonths).adding(days: -1))
    }

    public static func state(of terms: ContractTerms, on date: LocalDate, alertDays: Int = 30) -> ContractState {
        let renews = terms.tacitRenewal && terms.renewalTermMonths > 0
        // The term containing `date` (the last term reached when renewals are off).
        var index = 0
        while renews, term(index, of: terms).end < date, index < 1_200 { index += 1 }
        // Notice ends the contract at the end of the term whose deadline it met, else the next.
        var finalTerm: Int? = renews ? nil : 0
        if let given = terms.noticeGivenOn {
            var noticed = 0
            while renews, deadline(before: term(noticed, of: terms).end, notice: terms.notice) < given, noticed < 1_200 { noticed += 1 }
            finalTerm = min(finalTerm ?? noticed, noticed)
        }
        if let finalTerm, index > finalTerm { index = finalTerm }
        let (termStart, termEnd) = term(index, of: terms)
        let noticeDeadline = deadline(before: termEnd, notice: terms.notice)
        let ends = finalTerm == index
        let status: ContractState.Status
        if date < terms.start {
            status = .active
        } else if date > termEnd {
            status = terms.noticeGivenOn != nil && renews ? .terminated : .expired
        } else if ends {
            // Ends at this term's end: because notice was given, or because it never renews (then
            // flagged within `alertDays` of the end, when a new contract must be in place).
            status = renews || date >= termEnd.adding(days: -alertDays) ? .expiring : .active
        } else if date >= noticeDeadline.adding(days: -alertDays) && date <= noticeDeadline {
            status = .inNoticeWindow
        } else {
            status = index > 0 ? .renewed : .active
        }
        return ContractState(
            status: status, term: index, termStart: termStart, termEnd: termEnd, noticeDeadline: noticeDeadline,
            nextRenewal: ends ? nil : termEnd.adding(days: 1))
    }
}
