import Foundation
import Kernel

/// When SLA time runs. `always` is 24/7; `business` counts only working hours of the region's time
/// zone, skipping weekends and holidays. Both are plain values so that a clock's figures can be
/// recomputed later from the calendar recorded when it started.
public enum SLACalendar: Sendable, Hashable, Codable {
    case always
    case business(BusinessHours)

    /// The instant `seconds` of counted time after `start`.
    public func add(_ seconds: Int64, to start: Date) -> Date {
        switch self {
        case .always: start.addingTimeInterval(Double(seconds))
        case .business(let hours): hours.add(seconds, to: start)
        }
    }

    /// Counted seconds between two instants (0 when `end` is not after `start`).
    public func seconds(from start: Date, to end: Date) -> Int64 {
        guard end > start else { return 0 }
        switch self {
        case .always: return Int64((end.timeIntervalSince(start)).rounded(.down))
        case .business(let hours): return hours.seconds(from: start, to: end)
        }
    }

    public var label: String {
        switch self {
        case .always: "24x7"
        case .business(let hours): "business(\(hours.timeZone), \(hours.opensMinute / 60):\(String(format: "%02d", hours.opensMinute % 60))-\(hours.closesMinute / 60):\(String(format: "%02d", hours.closesMinute % 60)), weekdays \(hours.weekdays.sorted()))"
        }
    }
}

/// Working hours: the same window on the listed weekdays (1 = Sunday … 7 = Saturday), in one
/// time zone, minus holidays (local dates, YYYY-MM-DD).
public struct BusinessHours: Sendable, Hashable, Codable {
    public let timeZone: String
    public let weekdays: Set<Int>
    public let opensMinute: Int
    public let closesMinute: Int
    public let holidays: Set<String>

    public init(timeZone: String, weekdays: Set<Int> = [2, 3, 4, 5, 6], opensMinute: Int = 9 * 60, closesMinute: Int = 18 * 60, holidays: Set<String> = []) {
        self.timeZone = timeZone
        self.weekdays = weekdays
        self.opensMinute = opensMinute
        self.closesMinute = closesMinute
        self.holidays = holidays
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        return calendar
    }

    /// The working window of the local day containing `instant`, if that day is a working day.
    private func window(onDayOf instant: Date, calendar: Calendar) -> (open: Date, close: Date)? {
        let dayStart = calendar.startOfDay(for: instant)
        let components = calendar.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        guard let weekday = components.weekday, weekdays.contains(weekday) else { return nil }
        let key = String(format: "%04d-%02d-%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0)
        guard !holidays.contains(key) else { return nil }
        guard let open = calendar.date(byAdding: .minute, value: opensMinute, to: dayStart),
              let close = calendar.date(byAdding: .minute, value: closesMinute, to: dayStart), close > open else { return nil }
        return (open, close)
    }

    private func nextDay(after instant: Date, calendar: Calendar) -> Date {
        calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: instant)) ?? instant.addingTimeInterval(86_400)
    }

    func add(_ seconds: Int64, to start: Date) -> Date {
        let calendar = self.calendar
        var remaining = Double(max(0, seconds))
        var cursor = start
        // Bounded: ten years of days is far beyond any SLA and stops a calendar with no working time.
        for _ in 0..<3_660 {
            if let window = window(onDayOf: cursor, calendar: calendar) {
                let from = max(cursor, window.open)
                if from < window.close {
                    let available = window.close.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            cursor = nextDay(after: cursor, calendar: calendar)
        }
        return cursor
    }

    func seconds(from start: Date, to end: Date) -> Int64 {
        let calendar = self.calendar
        var total = 0.0
        var cursor = start
        for _ in 0..<3_660 where cursor < end {
            if let window = window(onDayOf: cursor, calendar: calendar) {
                let from = max(cursor, window.open)
                let to = min(end, window.close)
                if to > from { total += to.timeIntervalSince(from) }
            }
            cursor = nextDay(after: cursor, calendar: calendar)
        }
        return Int64(total.rounded(.down))
    }
}
