import Calendars
import Foundation
import Kernel
import SQLKit

/// One SLA clock of a ticket (time to own, time to resolve), counted in the site's business time.
/// A pending ticket's clocks stop: the business seconds spent so far are kept, and the deadline is
/// worked out again from the remaining time when the ticket resumes, so no pause loses or gains
/// time.
public struct TicketClock: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, StoredEnum { case own, resolve }
    public enum State: String, Codable, Sendable { case running, paused, met, breached }

    public let kind: Kind
    public let targetSeconds: Int64
    /// Business seconds counted before the current run (all of them when stopped or paused).
    public let spentSeconds: Int64
    public let runningSince: Date?
    /// When the clock breaches if it keeps running; nil while paused.
    public let dueAt: Date?
    public let stoppedAt: Date?
    public let breachedAt: Date?

    /// What a person reads: met and breached once stopped; otherwise running or paused, breached
    /// as soon as the deadline passed.
    public var state: State {
        if breachedAt != nil { return .breached }
        if stoppedAt != nil { return .met }
        return runningSince == nil ? .paused : .running
    }

    enum CodingKeys: String, CodingKey { case kind, targetSeconds, spentSeconds, runningSince, dueAt, stoppedAt, breachedAt, state }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(targetSeconds, forKey: .targetSeconds)
        try container.encode(spentSeconds, forKey: .spentSeconds)
        try container.encodeIfPresent(runningSince, forKey: .runningSince)
        try container.encodeIfPresent(dueAt, forKey: .dueAt)
        try container.encodeIfPresent(stoppedAt, forKey: .stoppedAt)
        try container.encodeIfPresent(breachedAt, forKey: .breachedAt)
        try container.encode(state, forKey: .state)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(Kind.self, forKey: .kind), targetSeconds: try container.decode(Int64.self, forKey: .targetSeconds),
            spentSeconds: try container.decode(Int64.self, forKey: .spentSeconds),
            runningSince: try container.decodeIfPresent(Date.self, forKey: .runningSince),
            dueAt: try container.decodeIfPresent(Date.self, forKey: .dueAt), stoppedAt: try container.decodeIfPresent(Date.self, forKey: .stoppedAt),
            breachedAt: try container.decodeIfPresent(Date.self, forKey: .breachedAt))
    }

    init(kind: Kind, targetSeconds: Int64, spentSeconds: Int64, runningSince: Date?, dueAt: Date?, stoppedAt: Date?, breachedAt: Date?) {
        self.kind = kind
        self.targetSeconds = targetSeconds
        self.spentSeconds = spentSeconds
        self.runningSince = runningSince
        self.dueAt = dueAt
        self.stoppedAt = stoppedAt
        self.breachedAt = breachedAt
    }

    // MARK: Moves, as pure functions of the site's calendar

    static func started(_ kind: Kind, target: Int64, at now: Date, on calendar: WorkingCalendar) -> TicketClock {
        TicketClock(
            kind: kind, targetSeconds: target, spentSeconds: 0, runningSince: now, dueAt: calendar.add(target, to: now), stoppedAt: nil, breachedAt: nil)
    }

    /// Business seconds counted up to `now`.
    func spent(at now: Date, on calendar: WorkingCalendar) -> Int64 {
        guard let runningSince else { return spentSeconds }
        return spentSeconds + calendar.seconds(from: runningSince, to: now)
    }

    /// A stop records a breach that happened before the scanner saw it.
    private func breach(at now: Date) -> Date? {
        breachedAt ?? dueAt.flatMap { $0 < now ? $0 : nil }
    }

    func paused(at now: Date, on calendar: WorkingCalendar) -> TicketClock {
        guard runningSince != nil, stoppedAt == nil else { return self }
        return TicketClock(
            kind: kind, targetSeconds: targetSeconds, spentSeconds: spent(at: now, on: calendar), runningSince: nil, dueAt: nil,
            stoppedAt: nil, breachedAt: breach(at: now))
    }

    func resumed(at now: Date, on calendar: WorkingCalendar) -> TicketClock {
        guard runningSince == nil, stoppedAt == nil else { return self }
        let due = calendar.add(max(0, targetSeconds - spentSeconds), to: now)
        return TicketClock(
            kind: kind, targetSeconds: targetSeconds, spentSeconds: spentSeconds, runningSince: now, dueAt: due, stoppedAt: nil, breachedAt: breachedAt)
    }

    func stopped(at now: Date, on calendar: WorkingCalendar) -> TicketClock {
        guard stoppedAt == nil else { return self }
        return TicketClock(
            kind: kind, targetSeconds: targetSeconds, spentSeconds: spent(at: now, on: calendar), runningSince: nil, dueAt: dueAt,
            stoppedAt: now, breachedAt: breach(at: now))
    }

    /// A reopened ticket's resolve clock runs again from the time it had left.
    func restarted(at now: Date, on calendar: WorkingCalendar) -> TicketClock {
        guard stoppedAt != nil else { return self }
        let due = calendar.add(max(0, targetSeconds - spentSeconds), to: now)
        return TicketClock(
            kind: kind, targetSeconds: targetSeconds, spentSeconds: spentSeconds, runningSince: now, dueAt: due, stoppedAt: nil, breachedAt: breachedAt)
    }
}

/// A clock's row without its ticket: `TicketClockStore` selects and writes `ticket_id` itself.
extension TicketClock: StoredRow {
    public init(_ row: RowReader) throws {
        kind = try row["kind"]
        targetSeconds = try row["target_seconds"]
        spentSeconds = try row["spent_seconds"]
        runningSince = try row["running_since"]
        dueAt = try row["due_at"]
        stoppedAt = try row["stopped_at"]
        breachedAt = try row["breached_at"]
    }
}

enum TicketClockStore {
    static func load(_ ticketID: String, on sql: any SQLDatabase) async throws -> [TicketClock] {
        try await sql.raw("SELECT \(unsafeRaw: TicketClock.columns) FROM it_ticket_clocks WHERE ticket_id = \(bind: ticketID) ORDER BY kind DESC").all().map(
            TicketClock.init(row:))
    }

    /// The clocks of a page of tickets in one query.
    static func load(tickets ids: [String], on sql: any SQLDatabase) async throws -> [String: [TicketClock]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column(SQLRaw("ticket_id, " + TicketClock.columns)).from("it_ticket_clocks").where("ticket_id", .in, ids)
            .orderBy("ticket_id").orderBy("kind", .descending).all()
        var clocks: [String: [TicketClock]] = [:]
        for row in rows { clocks[try row.decode(column: "ticket_id", as: String.self), default: []].append(try TicketClock(row: row)) }
        return clocks
    }

    static func insert(_ clock: TicketClock, ticket: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO it_ticket_clocks (ticket_id, kind, target_seconds, spent_seconds, running_since, due_at, stopped_at, breached_at)
            VALUES (\(bind: ticket), \(bind: clock.kind.rawValue), \(bind: clock.targetSeconds), \(bind: clock.spentSeconds), \(bind: clock.runningSince?.epochMicros),
                    \(bind: clock.dueAt?.epochMicros), \(bind: clock.stoppedAt?.epochMicros), \(bind: clock.breachedAt?.epochMicros))
            """
        ).run()
    }

    static func save(_ clock: TicketClock, ticket: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE it_ticket_clocks SET spent_seconds = \(bind: clock.spentSeconds), running_since = \(bind: clock.runningSince?.epochMicros),
                due_at = \(bind: clock.dueAt?.epochMicros), stopped_at = \(bind: clock.stoppedAt?.epochMicros), breached_at = \(bind: clock.breachedAt?.epochMicros)
            WHERE ticket_id = \(bind: ticket) AND kind = \(bind: clock.kind.rawValue)
            """
        ).run()
    }
}
