import Foundation

/// Working time of a place: opening hours per weekday in its time zone, minus its holidays. Shared
/// by the domains whose clocks run on office hours (an IT site's SLA, a business-hours desk).
public struct WorkingCalendar: Sendable, Hashable, Codable {
    /// Opening and closing minute of the local day, per ISO weekday (1 = Monday … 7 = Sunday);
    /// a weekday absent here is closed.
    public struct Hours: Sendable, Hashable, Codable {
        public let opensMinute: Int
        public let closesMinute: Int

        public init(opensMinute: Int, closesMinute: Int) {
            self.opensMinute = opensMinute
            self.closesMinute = closesMinute
        }
    }

    public let timeZone: String
    public let hours: [Int: Hours]
    public let holidays: Set<LocalDate>

    public init(timeZone: String, hours: [Int: Hours], holidays: Set<LocalDate>) {
        self.timeZone = timeZone
        self.hours = hours
        self.holidays = holidays
    }

    /// Monday to Friday, 09:00–18:00.
    public static func weekdays(timeZone: String, holidays: Set<LocalDate>) -> WorkingCalendar {
        WorkingCalendar(
            timeZone: timeZone, hours: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, Hours(opensMinute: 9 * 60, closesMinute: 18 * 60)) }),
            holidays: holidays)
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool { hours[date.isoWeekday] != nil && !holidays.contains(date) }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        return calendar
    }

    /// The local date of an instant in this calendar's zone.
    public func localDate(of instant: Date) -> LocalDate { LocalDate(of: instant, in: timeZone) }

    private func window(on date: LocalDate, calendar: Calendar) -> (open: Date, close: Date)? {
        guard isWorkingDay(date), let hours = hours[date.isoWeekday], hours.closesMinute > hours.opensMinute,
            let start = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
        else { return nil }
        guard let open = calendar.date(byAdding: .minute, value: hours.opensMinute, to: start),
            let close = calendar.date(byAdding: .minute, value: hours.closesMinute, to: start)
        else { return nil }
        return (open, close)
    }

    /// The instant `seconds` of working time after `start` (ten years at most are searched).
    public func add(_ seconds: Int64, to start: Date) -> Date {
        let calendar = self.calendar
        var remaining = Double(max(0, seconds))
        var date = localDate(of: start)
        for _ in 0..<3_660 {
            if let window = window(on: date, calendar: calendar) {
                let from = max(start, window.open)
                if from < window.close {
                    let available = window.close.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            date = date.adding(days: 1)
        }
        return start
    }

    /// Working seconds between two instants (0 when `end` is not after `start`).
    public func seconds(from start: Date, to end: Date) -> Int64 {
        guard end > start else { return 0 }
        let calendar = self.calendar
        var total = 0.0
        var date = localDate(of: start)
        let last = localDate(of: end)
        while date <= last {
            if let window = window(on: date, calendar: calendar) {
                let from = max(start, window.open)
                let to = min(end, window.close)
                if to > from { total += to.timeIntervalSince(from) }
            }
            date = date.adding(days: 1)
        }
        return Int64(total.rounded(.down))
    }
}
