import Foundation
import Kernel

/// A clock as people read it: where it stands now.
public struct SLAClockView: Codable, Sendable, Hashable {
    public let clock: String
    public let state: String
    public let calendar: String
    public let targetSeconds: Int64
    public let elapsedSeconds: Int64
    public let remainingSeconds: Int64
    public let startedAt: Date
    public let dueAt: Date?
    public let warnedAt: Date?
    public let breachedAt: Date?
    public let stoppedAt: Date?
    public let pauses: Int

    init(_ clock: SLAClock, now: Date) {
        self.clock = clock.kind.rawValue
        state = clock.state(at: now).rawValue
        calendar = clock.calendar.label
        targetSeconds = clock.targetSeconds
        elapsedSeconds = clock.elapsed(at: now)
        remainingSeconds = clock.targetSeconds - clock.elapsed(at: now)
        startedAt = clock.startedAt
        dueAt = clock.dueAt
        warnedAt = clock.warnedAt
        breachedAt = clock.breachedAt
        stoppedAt = clock.stoppedAt
        pauses = clock.pauses
    }

    static let schema: Schema = .named(
        "SLAClock",
        .object([
            .required("clock", .enumeration(SLAClockKind.allCases.map(\.rawValue))),
            .required("state", .enumeration(["running", "paused", "met", "breached"])),
            .required("calendar", .string(.init())), .required("targetSeconds", .integer()), .required("elapsedSeconds", .integer()),
            .required("remainingSeconds", .integer(), "Negative once breached"), .required("startedAt", .dateTime),
            .optional("dueAt", .dateTime, "While running"), .optional("warnedAt", .dateTime), .optional("breachedAt", .dateTime),
            .optional("stoppedAt", .dateTime), .required("pauses", .integer(minimum: 0)),
        ]))
}
