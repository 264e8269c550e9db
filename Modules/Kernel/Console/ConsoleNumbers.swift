import Calendars
import Foundation

extension ConsoleLocale {
    /// A count as this viewer reads numbers: 12.345 in pt-BR, 12,345 in en.
    public func number(_ value: Int64) -> String { value.formatted(.number.locale(Locale(identifier: language))) }

    /// A share (0…1) as a percentage with one decimal: 93,4 % in pt-BR, 93.4% in en.
    public func percent(_ share: Double) -> String {
        share.formatted(.percent.precision(.fractionLength(1)).locale(Locale(identifier: language)))
    }

    /// A duration in whole units a desk reads at a glance: "45 s", "12 min", "3 h 05 min", "2 d 4 h".
    public func duration(seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(max(seconds, 0)) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86_400: return String(format: "%d h %02d min", seconds / 3600, (seconds % 3600) / 60)
        default: return "\(seconds / 86_400) d \((seconds % 86_400) / 3600) h"
        }
    }

    /// A calendar day ("2027-03-01") as this viewer reads dates: 1 de mar. de 2027, Mar 1, 2027.
    /// A day has no zone, so it is formatted at noon UTC in UTC: the same day everywhere.
    public func day(_ text: String) -> String {
        guard let day = LocalDate(text), let noon = Calendar.utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) else {
            return text
        }
        return noon.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: Locale(identifier: language), timeZone: .gmt))
    }
}
