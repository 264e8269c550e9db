import Calendars
import Foundation
import JSONCoding

extension ConsoleRequest {
    /// A `datetime-local` form value ("2026-12-03T14:05", no zone) read as a wall-clock time in
    /// `zone` (the record's region's), as the API's instant text; nil when absent or not a time.
    /// A time the clocks skip (a DST gap) moves forward, as the calendar resolves it.
    public func instant(fromLocal name: String, zone: TimeZone) -> String? {
        guard let text = form.single(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = LocalDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1])
        return calendar.date(from: components).map(ISO8601.format)
    }

    /// An instant as a `datetime-local` value in `zone`, to fill a form.
    public static func localInput(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
