import Foundation

/// A calendar day without a time or a zone (a holiday, a purchase date, a contract start), in the
/// proleptic Gregorian calendar. Arithmetic is on day numbers, so it never crosses a DST edge.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the triple is a real day (no 30 February, no 29 February outside leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...LocalDate.days(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The days a person or a file may give: 1900-01-01 to 2199-12-31. Arithmetic on dates goes
    /// beyond (a 20-year renewal of a contract started in 2199), but a date typed as 9999-12-31 is
    /// a mistake, and refusing it at the door keeps every later sum far from the edges.
    public static let inputYears = 1900...2199

    /// A date as input: "YYYY-MM-DD" within `inputYears`.
    public init?(input text: String) {
        guard let date = LocalDate(text), LocalDate.inputYears.contains(date.year) else { return nil }
        self = date
    }

    /// The message for a date outside `inputYears` or not a date at all.
    public static var inputRule: String { "must be a calendar date like 2026-01-31, between \(inputYears.lowerBound)-01-01 and \(inputYears.upperBound)-12-31" }

    /// From "YYYY-MM-DD". Read byte by byte: imports and the book-value run parse millions.
    public init?(_ text: String) {
        guard text.utf8.count == 10 else { return nil }
        var contiguous = text
        contiguous.makeContiguousUTF8()
        let parsed: (Int, Int, Int)?? = contiguous.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int, Int)? in
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
            else { return nil }
            return (year, month, day)
        }
        guard let (year, month, day) = parsed ?? nil else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day an instant falls on in a time zone (an unknown zone counts as UTC): "today" at a
    /// site is its own day, not the server's.
    public init(of instant: Date, in timeZone: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self = LocalDate(unchecked: parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = min(max(dayNumber, -365_242_500_000), 365_242_500_000) + 719_468  // ±10^9 years, as init(unchecked:)
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Total arithmetic: any date plus any offset is a date (years past 9999 included), so no
    /// input can make a calculation trap. Offsets are clamped to a million years either way,
    /// far beyond any real span, so the sums below cannot overflow.
    public func adding(days: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber + min(max(days, -LocalDate.maxOffsetDays), LocalDate.maxOffsetDays))
    }

    /// `months` later (or earlier), on the same day of the month or, where that month is shorter,
    /// its last day: 31 January + 1 month is 28 (or 29) February.
    public func adding(months: Int) -> LocalDate {
        let clamped = min(max(months, -LocalDate.maxOffsetMonths), LocalDate.maxOffsetMonths)
        let index = year * 12 + (month - 1) + clamped  // |year| ≤ 10^9 (see init(unchecked:)): no overflow
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        return LocalDate(unchecked: newYear, newMonth, min(day, LocalDate.days(inMonth: newMonth, year: newYear)))
    }

    /// The first day of a month of any year (month 1...12, else January): total, unlike the
    /// checked initializer, for arithmetic that may leave the years a person types.
    public static func first(ofMonth month: Int, year: Int) -> LocalDate {
        LocalDate(unchecked: year, (1...12).contains(month) ? month : 1, 1)
    }

    /// The first and last day of this date's month.
    public var firstOfMonth: LocalDate { LocalDate(unchecked: year, month, 1) }
    public var lastOfMonth: LocalDate { LocalDate(unchecked: year, month, LocalDate.days(inMonth: month, year: year)) }

    private static let maxOffsetMonths = 12_000_000
    private static let maxOffsetDays = 366_000_000

    /// Years are held within ±10^9, where every computation here stays far inside 64 bits.
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = min(max(year, -1_000_000_000), 1_000_000_000)
        self.month = month
        self.day = day
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        let weekday = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (weekday < 0 ? weekday + 7 : weekday) + 1
    }

    public var isLastDayOfMonth: Bool { day == LocalDate.days(inMonth: month, year: year) }

    /// "YYYY-MM-DD", by hand: lists write thousands of dates, and String(format:) goes through
    /// Foundation's formatter each time.
    public var description: String {
        guard (0...9999).contains(year) else {
            // ISO 8601's expanded form, reached only by arithmetic far from any input.
            let digits = String(year.magnitude)
            let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            let month = self.month < 10 ? "0\(self.month)" : "\(self.month)"
            let day = self.day < 10 ? "0\(self.day)" : "\(self.day)"
            return "\(year < 0 ? "-" : "+")\(padded)-\(month)-\(day)"
        }
        var bytes: [UInt8] = [48, 48, 48, 48, 45, 48, 48, 45, 48, 48]
        var number = year
        for index in stride(from: 3, through: 0, by: -1) {
            bytes[index] = UInt8(48 + number % 10)
            number /= 10
        }
        bytes[5] = UInt8(48 + month / 10)
        bytes[6] = UInt8(48 + month % 10)
        bytes[8] = UInt8(48 + day / 10)
        bytes[9] = UInt8(48 + day % 10)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a date like 2026-02-17"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
