import Calendars
import Foundation
import Kernel
import SQLKit

/// A rotating roster to lay down in one go: the day is cut into equal shifts (3 × 8 h from 06:00,
/// say), the people form one team more than there are shifts, and every `rotateEveryDays` days
/// each team moves to the next shift, one team resting in turn. Weekends and holidays are worked
/// like any day: the desk runs 24/7.
public struct RotationInput: Codable, Sendable {
    public var region: String
    public var role: String
    /// In team order: person n joins team n mod (shiftsPerDay + 1).
    public var emails: [String]
    /// The first day, local to the region (YYYY-MM-DD).
    public var startDate: String
    public var days: Int
    public var shiftsPerDay: Int
    /// Local start of the day's first shift, HH:MM.
    public var firstShiftStarts: String
    public var rotateEveryDays: Int

    public init(
        region: String, role: String, emails: [String], startDate: String, days: Int, shiftsPerDay: Int = 3,
        firstShiftStarts: String = "06:00", rotateEveryDays: Int = 7
    ) {
        self.region = region
        self.role = role
        self.emails = emails
        self.startDate = startDate
        self.days = days
        self.shiftsPerDay = shiftsPerDay
        self.firstShiftStarts = firstShiftStarts
        self.rotateEveryDays = rotateEveryDays
    }

    /// Which shift of the day (0-based) the person at `index` works on `day`, nil on a rest day.
    static func slot(person index: Int, day: Int, shiftsPerDay: Int, rotateEveryDays: Int) -> Int? {
        let teams = shiftsPerDay + 1
        let slot = (index % teams + day / rotateEveryDays) % teams
        return slot < shiftsPerDay ? slot : nil
    }
}

extension DeskService {
    /// Lays down a rotation as planned shifts, all in one transaction, each audited.
    public func addRotation(_ input: RotationInput, by invocation: Invocation) async throws -> [ShiftEntry] {
        let principal = invocation.principal
        try principal.require(IncidentOpsPermissions.deskManage)
        var validator = Validator()
        let region = validator.region(input.region)
        let role = ShiftEntry.Role(rawValue: input.role)
        validator.check(role != nil, "role", .notAllowed, "must be one of \(ShiftEntry.Role.allCases.map(\.rawValue).joined(separator: ", "))")
        validator.check((1...200).contains(input.emails.count), "emails", .outOfRange, "give 1 to 200 people")
        validator.check(Set(input.emails).count == input.emails.count, "emails", .notAllowed, "each person once")
        let first = LocalDate(input: input.startDate)
        validator.check(first != nil, "startDate", .format, "must be a date like 2026-12-01")
        validator.check((1...62).contains(input.days), "days", .outOfRange, "must be 1 to 62 days")
        validator.check([1, 2, 3, 4].contains(input.shiftsPerDay), "shiftsPerDay", .notAllowed, "must be 1, 2, 3 or 4 (24, 12, 8 or 6 hours)")
        validator.check((1...28).contains(input.rotateEveryDays), "rotateEveryDays", .outOfRange, "must be 1 to 28 days")
        let clock = input.firstShiftStarts.split(separator: ":").compactMap { Int($0) }
        let startMinute = clock.count == 2 && (0..<24).contains(clock[0]) && (0..<60).contains(clock[1]) ? clock[0] * 60 + clock[1] : nil
        validator.check(startMinute != nil, "firstShiftStarts", .format, "must be a local time like 06:00")
        try validator.finish()
        let info = try await context.requireWritable(region!, by: principal)
        var people: [Person] = []
        for email in input.emails {
            guard let person = try await context.people.person(email: email), person.active else {
                throw VigilError.invalid("emails", .notAllowed, "\(email) is not an active user")
            }
            people.append(person)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: info.timeZone) ?? TimeZone(identifier: "UTC")!
        let hours = 24 / input.shiftsPerDay
        var entries: [ShiftEntry] = []
        for day in 0..<input.days {
            let date = first!.adding(days: day)
            guard let midnight = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) else { continue }
            for (index, person) in people.enumerated() {
                guard let slot = RotationInput.slot(person: index, day: day, shiftsPerDay: input.shiftsPerDay, rotateEveryDays: input.rotateEveryDays),
                    let starts = calendar.date(byAdding: .minute, value: startMinute! + slot * hours * 60, to: midnight)
                else { continue }
                entries.append(
                    ShiftEntry(
                        id: context.ids.next().lowercased, region: region!.rawValue, userId: person.id.lowercased, role: role!,
                        startsAt: starts, endsAt: starts.addingTimeInterval(Double(hours) * 3600), kind: .planned, approvedBy: nil, note: nil))
            }
        }
        let planned = entries
        return try await context.transaction(invocation) { tx in
            for entry in planned { try await Self.insert(entry, in: tx) }
            return planned
        }
    }
}
