import Calendars
import Foundation
import Kernel

/// When SLA time runs. `always` is 24/7; `business` counts only the working time of the region's
/// calendar (the shared `WorkingCalendar`: hours per ISO weekday, 1 = Monday, in the region's
/// time zone, minus its holidays). Both are plain values so that a clock's figures can be
/// recomputed later from the calendar recorded when it started.
public enum SLACalendar: Sendable, Hashable {
    case always
    case business(WorkingCalendar)

    /// Monday to Friday, 09:00–18:00 in the region's zone: what a business-hours policy runs on.
    public static func businessHours(timeZone: String, holidays: [String]) -> SLACalendar {
        .business(.weekdays(timeZone: timeZone, holidays: Set(holidays.compactMap { LocalDate($0) })))
    }

    /// The instant `seconds` of counted time after `start`.
    public func add(_ seconds: Int64, to start: Date) -> Date {
        switch self {
        case .always: start.addingTimeInterval(Double(seconds))
        case .business(let calendar): calendar.add(seconds, to: start)
        }
    }

    /// Counted seconds between two instants (0 when `end` is not after `start`).
    public func seconds(from start: Date, to end: Date) -> Int64 {
        guard end > start else { return 0 }
        switch self {
        case .always: return Int64((end.timeIntervalSince(start)).rounded(.down))
        case .business(let calendar): return calendar.seconds(from: start, to: end)
        }
    }

    public var label: String {
        switch self {
        case .always: return "24x7"
        case .business(let calendar):
            let days = calendar.hours.keys.sorted()
            let windows = Set(calendar.hours.values)
            let window = windows.count == 1 ? windows.first.map { " \(Self.clock($0.opensMinute))-\(Self.clock($0.closesMinute))" } ?? "" : ""
            return "business(\(calendar.timeZone),\(window) ISO weekdays \(days))"
        }
    }

    private static func clock(_ minute: Int) -> String { "\(minute / 60):\(String(format: "%02d", minute % 60))" }
}

// Stored with each clock as {"always":{}} or {"business":{"_0":{…}}} (the shape Swift's synthesized
// coding gave). Clocks started before the shared calendar hold the desk's old hours, with
// weekdays counted from Sunday (1 = Sunday … 7 = Saturday); they are read into the same calendar.
extension SLACalendar: Codable {
    private enum CodingKeys: String, CodingKey { case always, business }
    private enum PayloadKeys: String, CodingKey { case value = "_0" }

    private struct StoredBusinessHours: Decodable {
        let timeZone: String
        let weekdays: Set<Int>
        let opensMinute: Int
        let closesMinute: Int
        let holidays: Set<String>

        var calendar: WorkingCalendar {
            let hours = WorkingCalendar.Hours(opensMinute: opensMinute, closesMinute: closesMinute)
            // Sunday-first 1…7 to ISO 1 (Monday) … 7 (Sunday).
            let iso = weekdays.filter { (1...7).contains($0) }.map { $0 == 1 ? 7 : $0 - 1 }
            return WorkingCalendar(
                timeZone: timeZone, hours: Dictionary(uniqueKeysWithValues: iso.map { ($0, hours) }),
                holidays: Set(holidays.compactMap { LocalDate($0) }))
        }
    }

    private struct Either: Decodable {
        let calendar: WorkingCalendar
        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyKey.self)
            calendar = keys.contains(AnyKey("weekdays")) ? try StoredBusinessHours(from: decoder).calendar : try WorkingCalendar(from: decoder)
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.always) {
            self = .always
        } else {
            let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .business)
            self = .business(try payload.decode(Either.self, forKey: .value).calendar)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .always:
            _ = container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .always)
        case .business(let calendar):
            var payload = container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .business)
            try payload.encode(calendar, forKey: .value)
        }
    }
}
