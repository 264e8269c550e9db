import Foundation
import Kernel

/// The three clocks of a case.
public enum SLAClockKind: String, Codable, Sendable, StoredEnum {
    case acknowledge
    case firstAction = "first-action"
    case resolve
}

/// One SLA clock as a value: counted time accumulates while it runs; waiting pauses it; the
/// lifecycle stops it. Warnings and breaches are the instants counted time crossed the warning
/// share and the target, so they are exact however late the scanner notices them.
public struct SLAClock: Codable, Sendable, Hashable {
    public let caseId: String
    public let kind: SLAClockKind
    public let region: String
    public let targetSeconds: Int64
    public let warningPercent: Int
    public let calendar: SLACalendar
    public let startedAt: Date
    /// Counted seconds before `runningSince` (all of them when paused or stopped).
    public internal(set) var elapsedSeconds: Int64
    /// Start of the current running stretch; nil while paused or stopped.
    public internal(set) var runningSince: Date?
    public internal(set) var stoppedAt: Date?
    public internal(set) var warnedAt: Date?
    public internal(set) var breachedAt: Date?
    public internal(set) var pauses: Int

    init(caseId: String, kind: SLAClockKind, region: String, targetSeconds: Int64, warningPercent: Int, calendar: SLACalendar, startedAt: Date) {
        self.caseId = caseId
        self.kind = kind
        self.region = region
        self.targetSeconds = targetSeconds
        self.warningPercent = warningPercent
        self.calendar = calendar
        self.startedAt = startedAt
        self.elapsedSeconds = 0
        self.runningSince = startedAt
        self.stoppedAt = nil
        self.warnedAt = nil
        self.breachedAt = nil
        self.pauses = 0
    }

    public enum State: String, Codable, Sendable { case running, paused, met, breached }

    public var isRunning: Bool { runningSince != nil }
    public var isStopped: Bool { stoppedAt != nil }
    public var warningSeconds: Int64 { targetSeconds * Int64(warningPercent) / 100 }

    /// When counted time reaches `mark` if the clock keeps running; nil unless running.
    func instant(reaching mark: Int64) -> Date? {
        guard let runningSince else { return nil }
        return calendar.add(max(0, mark - elapsedSeconds), to: runningSince)
    }

    public var dueAt: Date? { instant(reaching: targetSeconds) }
    public var warningAt: Date? { instant(reaching: warningSeconds) }

    /// Counted seconds at `now`.
    public func elapsed(at now: Date) -> Int64 {
        guard let runningSince else { return elapsedSeconds }
        return elapsedSeconds + calendar.seconds(from: runningSince, to: now)
    }

    public func state(at now: Date) -> State {
        if breachedAt != nil || elapsed(at: now) >= targetSeconds { return .breached }
        if isStopped { return .met }
        return isRunning ? .running : .paused
    }

    /// Records warning and breach instants crossed up to `now`; returns the kinds newly crossed.
    @discardableResult
    mutating func markCrossings(upTo now: Date) -> [SLACrossing] {
        guard isRunning else { return [] }
        var crossed: [SLACrossing] = []
        if warnedAt == nil, let at = warningAt, at <= now {
            warnedAt = at
            crossed.append(.warning(at))
        }
        if breachedAt == nil, let at = dueAt, at <= now {
            breachedAt = at
            crossed.append(.breach(at))
        }
        return crossed
    }

    mutating func pause(at now: Date) -> Bool {
        guard let runningSince, !isStopped else { return false }
        markCrossings(upTo: now)
        elapsedSeconds += calendar.seconds(from: runningSince, to: now)
        self.runningSince = nil
        pauses += 1
        return true
    }

    mutating func resume(at now: Date) -> Bool {
        guard runningSince == nil, !isStopped else { return false }
        runningSince = now
        return true
    }

    mutating func stop(at now: Date) -> Bool {
        guard !isStopped else { return false }
        if let runningSince {
            markCrossings(upTo: now)
            elapsedSeconds += calendar.seconds(from: runningSince, to: now)
        }
        runningSince = nil
        stoppedAt = now
        return true
    }

    /// A reopened case's resolve clock runs again, keeping the time it had counted.
    mutating func restart(at now: Date) -> Bool {
        guard isStopped else { return false }
        stoppedAt = nil
        runningSince = now
        return true
    }
}

public enum SLACrossing: Sendable, Hashable {
    case warning(Date)
    case breach(Date)
}
