import Calendars
import Foundation
import JSONCoding
import Kernel
import Monetary
import PropertyTesting
import Testing

/// Input is bounded at the door (four-digit years, dates 1900–2199, amounts within
/// ±Money.maximumMinorUnits), and the arithmetic behind it is total: a value that does not fit is
/// an error or a clamp, never a trap that takes the whole server down.
@Suite struct BoundedInputTests {
    // MARK: Instants and dates

    /// Foundation's parser takes years like 300000, beyond what storage counts in microseconds; and
    /// every other field must be in its range too.
    @Test(arguments: [
        "300000-01-01T00:00:00Z", "12345-01-01T00:00:00Z", "+2026-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+002026-01-01T00:00:00Z", "999-01-01T00:00:00Z",
        "２０２６-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00",
    ])
    func instantsWithoutAFourDigitYearAreRefused(_ text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    /// An instant read is the instant written: formatting it gives the same text back, and its
    /// microseconds are not clamped, from the first four-digit year to the last.
    @Test(
        arguments: [
            ("0001-01-01T00:00:00Z", -62_135_596_800), ("1000-06-15T12:00:00Z", -30_595_924_800), ("1582-10-04T00:00:00Z", -12_220_243_200),
            ("1582-10-15T00:00:00Z", -12_219_292_800), ("1900-01-01T00:00:00Z", -2_208_988_800), ("9999-12-31T23:59:59.999Z", 253_402_300_799.999),
        ] as [(String, Double)])
    func instantsOfEveryFourDigitYearAreReadAsWritten(_ text: String, _ seconds: Double) throws {
        let instant = try #require(ISO8601.parse(text))
        let millis = text.hasSuffix(".999Z") ? text : String(text.dropLast()) + ".000Z"
        // Both in the proleptic Gregorian calendar: Foundation's parser, used before, read days
        // before 15 October 1582 as Julian, and 0001-01-01 came back as 0000-12-30.
        #expect(ISO8601.format(instant) == millis)
        // Within a millisecond: a Date in year 9999 has about 30 µs of precision.
        #expect((instant.epochMicros - Int64((seconds * 1000).rounded()) * 1000).magnitude < 1000, "\(instant.epochMicros)")
    }

    @Test(
        arguments: [
            (1e300, Int64.max), (-1e300, Int64.min), (.infinity, Int64.max), (-.infinity, Int64.min), (.nan, 0),
            (9_223_372_036_855, Int64.max), (-9_223_372_036_855, Int64.min), (1.5, 1_500_000), (-0.000_001, -1), (0, 0),
        ] as [(Double, Int64)])
    func epochMicrosClampInsteadOfTrapping(_ seconds: Double, _ micros: Int64) {
        #expect(Date(timeIntervalSince1970: seconds).epochMicros == micros)
    }

    /// Every date plus every offset is a real day on the right side of the start: no input can
    /// make date arithmetic trap. Offsets beyond a million years are clamped (documented).
    @Test func dateArithmeticIsTotal() throws {
        let offsets = [1, -1, 13, -13, 12_000, -12_000, 100_000_000, -100_000_000, 1_000_000_000, -1_000_000_000, Int.max / 12, Int.min / 12, Int.max, Int.min]
        for start in [try #require(LocalDate("9999-12-31")), try #require(LocalDate("0001-01-01")), try #require(LocalDate("2026-01-31"))] {
            for offset in offsets {
                for moved in [start.adding(months: offset), start.adding(days: offset)] {
                    #expect(LocalDate(dayNumber: moved.dayNumber) == moved, "\(start) + \(offset) gave \(moved.year)-\(moved.month)-\(moved.day), not a day")
                    #expect(offset > 0 ? moved > start : moved < start, "\(start) + \(offset) gave \(moved)")
                }
            }
            // Within the clamp, there and back is the identity.
            for days in [1, -1, 366_000_000, -366_000_000, 123_456_789] {
                #expect(start.adding(days: days).adding(days: -days) == start)
            }
            #expect(start.firstOfMonth.adding(months: 12_000_000).adding(months: -12_000_000) == start.firstOfMonth)
            #expect(start.adding(days: .max) == start.adding(days: 366_000_000))
            #expect(start.adding(months: .min) == start.adding(months: -12_000_000))
        }
    }

    /// Years outside 0…9999 are written in ISO 8601's expanded form, never as a wrong four-digit year.
    @Test func farDatesAreWrittenInExpandedForm() throws {
        let last = try #require(LocalDate("9999-12-31"))
        let first = try #require(LocalDate("0001-01-01"))
        #expect(last.adding(days: 1).description == "+10000-01-01")
        #expect(last.adding(months: 1).description == "+10000-01-31")
        #expect(first.adding(days: -1).description == "0000-12-31")
        #expect(first.adding(days: -367).description == "-0001-12-31")
        #expect(first.adding(months: -13).description == "-0001-12-01")
        #expect(last.adding(months: .max).description == "+1009999-12-31")
        #expect(last.adding(months: .min).description == "-990001-12-31")
        #expect(first.adding(months: -120_012).description == "-10000-01-01")
        // Its Codable form is the same text.
        #expect(try JSONValueEncoder.encode(last.adding(days: 1)) == .string("+10000-01-01"))
    }

    @Test(arguments: [
        ("1900-01-01", true), ("2199-12-31", true), ("2026-02-28", true), ("2028-02-29", true), ("2000-02-29", true),
        ("1899-12-31", false), ("2200-01-01", false), ("9999-12-31", false), ("0001-01-01", false), ("2026-02-30", false),
        ("2100-02-29", false), ("2026-13-01", false), ("2026-00-10", false), ("2026-1-01", false), ("+2026-01-01", false), ("", false),
    ])
    func inputDatesAreCalendarDaysFrom1900To2199(_ text: String, _ accepted: Bool) {
        #expect((LocalDate(input: text) != nil) == accepted)
        // Outside input the parser still reads every four-digit year (stored dates, arithmetic).
        if ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"].contains(text) { #expect(LocalDate(text) != nil) }
    }

    @Test(arguments: [
        (2, 2026, "2026-02-01"), (12, 2199, "2199-12-01"), (1, 1900, "1900-01-01"), (13, 2026, "2026-01-01"), (0, 2026, "2026-01-01"),
        (-5, 2026, "2026-01-01"), (1, 10_000, "+10000-01-01"), (3, 0, "0000-03-01"), (1, -5, "-0005-01-01"), (6, 999_999, "+999999-06-01"),
        (1, -999_999, "-999999-01-01"),
    ])
    func firstOfMonthIsTotalOverMonthsAndYears(_ month: Int, _ year: Int, _ expected: String) {
        #expect(LocalDate.first(ofMonth: month, year: year).description == expected)
    }

    /// Years far beyond input are exact up to a billion either way and held there beyond it, so
    /// `year * 12` and the day arithmetic cannot overflow (Int.max used to trap).
    @Test func firstOfMonthOfFarYears() {
        #expect(LocalDate.first(ofMonth: 6, year: 1_000_000).description == "+1000000-06-01")
        #expect(LocalDate.first(ofMonth: 1, year: 5_000_000).description == "+5000000-01-01")
        #expect(LocalDate.first(ofMonth: 12, year: -5_000_000).description == "-5000000-12-01")
        #expect(LocalDate.first(ofMonth: 1, year: .max).description == "+1000000000-01-01")
        #expect(LocalDate.first(ofMonth: 1, year: .min).description == "-1000000000-01-01")
        let far = LocalDate.first(ofMonth: 2, year: .max)
        #expect(far.adding(months: .max) >= far && far.adding(days: .min) < far)
        // Years and day numbers are held at the same bound (±10^9 years), so a date at the bound
        // is its own day number and adding no days leaves it where it is.
        #expect(LocalDate(dayNumber: far.dayNumber) == far)
        #expect(far.adding(days: 0) == far)
    }

    // MARK: Request validation

    /// JSON Schema counts 1.0 as an integer, and so does the validator; a fraction, or a number
    /// no Int64 holds, is a type error, not a trap or a silent rounding.
    @Test func integerSchemaTakesIntegralNumbersWithinInt64Only() throws {
        let bounded = Schema.integer(minimum: -5, maximum: 5)
        #expect(codes(bounded, .number(1.0)) == [])
        #expect(codes(bounded, .number(-3.0)) == [])
        #expect(codes(bounded, .number(-0.0)) == [])
        #expect(codes(bounded, .number(6.0)) == [.outOfRange])
        #expect(codes(bounded, .number(-6.0)) == [.outOfRange])
        for refused in [1.5, -0.5, 1e300, -1e300, 9.3e18, -9.3e18, 9_223_372_036_854_775_808, .leastNonzeroMagnitude] {
            #expect(codes(bounded, .number(refused)) == [.type], "\(refused)")
            #expect(codes(.integer(), .number(refused)) == [.type], "\(refused)")
        }
        #expect(codes(.integer(), .number(-9_223_372_036_854_775_808)) == [])  // exactly Int64.min
        #expect(codes(.integer(), .integer(.max)) == [])
        #expect(codes(bounded, .string("1")) == [.type])
        // As the request arrives: text, parsed by the product's parser.
        #expect(codes(bounded, try JSONValue.parse(Data("2.0".utf8))) == [])
        #expect(codes(bounded, try JSONValue.parse(Data("2.5".utf8))) == [.type])
        #expect(codes(bounded, try JSONValue.parse(Data("1e300".utf8))) == [.type])
    }

    @Test func moneySchemaBoundsAmounts() {
        let maximum = Money.maximumMinorUnits
        #expect(codes(.money(), .integer(maximum)) == [])
        #expect(codes(.money(), .integer(maximum + 1)) == [.outOfRange])
        #expect(codes(.money(), .integer(-1)) == [.outOfRange])
        #expect(codes(.money(), .number(1e17)) == [.outOfRange])
        #expect(codes(.money(allowingNegative: true), .integer(-maximum)) == [])
        #expect(codes(.money(allowingNegative: true), .integer(-maximum - 1)) == [.outOfRange])
    }

    @Test(arguments: [
        ("2026-01-31", true), ("1900-01-01", true), ("2199-12-31", true), ("1899-12-31", false), ("2200-01-01", false), ("9999-12-31", false),
        ("2026-02-30", false), ("31/01/2026", false),
    ])
    func dateFormatTakesInputDatesOnly(_ text: String, _ accepted: Bool) {
        #expect(codes(.date, .string(text)) == (accepted ? [] : [.format]))
        // With the published pattern as well, one issue, not two.
        #expect(codes(.string(.init(format: "date", pattern: .inputDate)), .string(text)) == (accepted ? [] : [.format]))
    }

    @Test(arguments: ["1e400", "-1e400", "[1e400]", #"{"a":-1e400}"#, "1" + String(repeating: "0", count: 400), "-1.5e99999"])
    func numbersBeyondDoubleAreRefusedNotReadAsInfinity(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func numbersUpToDoublesRangeAreRead() throws {
        #expect(try JSONValue.parse(Data("1e308".utf8)) == .number(1e308))
        #expect(try JSONValue.parse(Data("-1e308".utf8)) == .number(-1e308))
        #expect(try JSONValue.parse(Data("1.7976931348623157e308".utf8)) == .number(.greatestFiniteMagnitude))
        #expect(try JSONValue.parse(Data("[9223372036854775808]".utf8)) == .array([.number(9_223_372_036_854_775_808)]))
    }

    // MARK: Published patterns agree with the server

    /// /openapi.json publishes each rule as a regex, and the server checks it with its own parser:
    /// outside tools must accept exactly what the server accepts. The regex is applied as JSON
    /// Schema applies `pattern` (a search, code point by code point); a `date` string is also
    /// checked against its `format` (a real calendar day), which the schema publishes beside it.
    @Test(arguments: PublishedPattern.allCases)
    func publishedRegexAndServerAgree(_ published: PublishedPattern) throws {
        let regex = try Regex(published.pattern.regex).matchingSemantics(.unicodeScalar)
        let samples = published.samples(seed: 0xDA7E + UInt64(PublishedPattern.allCases.firstIndex(of: published) ?? 0))
        #expect(samples.count >= 300)
        var disagreements: [String] = []
        for sample in samples {
            let searched = try regex.firstMatch(in: sample) != nil
            let whole = try regex.wholeMatch(in: sample) != nil
            let outside = searched && (published != .inputDate || isCalendarDay(sample))
            if outside != published.pattern.matches(sample) || whole != searched {
                disagreements.append("\(sample.debugDescription): regex search \(searched), whole \(whole), server \(published.pattern.matches(sample))")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(samples.count): \(disagreements.prefix(10).joined(separator: "; "))")
        // Both sides are exercised, not only refusals.
        #expect(samples.filter(published.pattern.matches).count >= 50)
        #expect(samples.filter { !published.pattern.matches($0) }.count >= 50)
    }

    private func codes(_ schema: Schema, _ value: JSONValue) -> [FieldIssue.Code] {
        schema.validate(value).map(\.code)
    }
}

/// A real day of the Gregorian calendar, as JSON Schema's `date` format reads "YYYY-MM-DD"; worked
/// out with Foundation's calendar, not with the parser under test.
private func isCalendarDay(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return DateComponents(calendar: calendar, year: year, month: month, day: day).isValidDate
}

enum PublishedPattern: String, CaseIterable, Sendable {
    case regionCode, currencyCode, inputDate

    var pattern: TextPattern {
        switch self {
        case .regionCode: .regionCode
        case .currencyCode: .currencyCode
        case .inputDate: .inputDate
        }
    }

    /// Valid values, near misses of each rule, and random text over an alphabet that mixes the
    /// characters the rule takes with look-alikes (non-ASCII letters and digits, separators).
    func samples(seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").map(String.init)
        let digits = Array("0123456789").map(String.init)
        let odd = ["ß", "é", "İ", "ı", "K", "Ｂ", "٣", "Ⅻ", "-", "_", " ", "\n", "\t", "/", ".", "ﬀ", "e\u{301}", "🚀"]
        var samples: [String]
        switch self {
        case .regionCode:
            samples = [
                "BR-SP", "MX-CMX", "CO-DC", "BR", "bR-sp", "br", "BR-1", "US-CA9", "ß", "BR-SPX", "BR-", "B", "BRA", "BR_SP", "BR-S P", "1R-SP", "BR--SP",
                "-SP", "BR-SP\n",
                "\nBR-SP", " BR-SP", "BR-SP ", "ÅR-SP", "BR-SÃ", "ＢＲ-SP", "BR-Ⅻ", "İS", "Kr", "BR-SP-X", "", "-", "BR-SP\u{301}",
            ]
            for _ in 0..<150 {
                let head = rng.pick(letters) + rng.pick(letters)
                samples.append(rng.below(3) == 0 ? head : head + "-" + rng.array(upTo: 3) { $0.pick(letters + digits) }.joined())
            }
        case .currencyCode:
            samples = ["BRL", "USD", "MXN", "brl", "Brl", "BR", "BRLX", "BR1", "ÅBC", "BRL\n", "\nBRL", " BRL", "ＢＲＬ", "B\u{301}RL", "", "KWD", "İSK", "B-L"]
            let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ").map(String.init)
            for _ in 0..<150 {
                let code = (0..<3).map { _ in rng.pick(upper) }
                // Half valid, half with one character swapped for a lowercase letter, a digit or a look-alike.
                samples.append(
                    rng.below(2) == 0 ? code.joined() : code.enumerated().map { $0.offset == 1 ? rng.pick(letters + digits + odd) : $0.element }.joined())
            }
        case .inputDate:
            samples = [
                "2026-01-31", "1900-01-01", "2199-12-31", "2000-02-29", "2028-02-29", "2100-02-29", "2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01",
                "1899-12-31",
                "2200-01-01", "9999-12-31", "0001-01-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01",
                "2026-01-01T00:00:00Z", "２０２６-01-01", "2026-01-01\n", "\n2026-01-01", " 2026-01-01", "", "2026-٠١-01", "+2026-01-01", "20260101",
            ]
            for _ in 0..<150 {
                let year = 1880 + rng.below(340)
                let month = 1 + rng.below(12)
                let day = 1 + rng.below(31)
                var text = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
                if rng.below(4) == 0 {
                    var characters = Array(text).map(String.init)
                    characters[rng.below(characters.count)] = rng.pick(digits + odd)
                    text = characters.joined()
                }
                samples.append(text)
            }
        }
        for _ in 0..<150 {
            samples.append(rng.array(upTo: 10) { $0.below(3) == 0 ? $0.pick(odd) : $0.pick(letters + digits) }.joined())
        }
        return samples
    }
}
