import Calendars
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Recomputes a case's clocks from its timeline alone (the policy snapshot taken at intake, then
/// every status change, note and acknowledgement, in order) with the same rules as the live path,
/// and compares them with the stored clocks.
public enum SLAReplay {
    static func recompute(_ entries: [TimelineEntry], now: Date) throws -> [SLAClock] {
        var clocks: [SLAClock] = []
        for entry in entries {
            switch entry.kind {
            case .opened:
                guard case .object(let details) = entry.details, case .object(let sla)? = details["sla"],
                    case .array(let snapshot)? = sla["clocks"]
                else { continue }
                clocks = try snapshot.map { item in
                    guard case .object(let clock) = item, case .string(let kindText)? = clock["kind"], let kind = SLAClockKind(rawValue: kindText),
                        case .integer(let target)? = clock["targetSeconds"], case .integer(let warning)? = clock["warningPercent"],
                        let calendarValue = clock["calendar"]
                    else {
                        throw VigilError(.internal, "the SLA snapshot of case \(entry.caseId) is unreadable")
                    }
                    let calendar = try VigilJSON.decoder.decode(SLACalendar.self, from: Data(calendarValue.jsonText.utf8))
                    return SLAClock(
                        caseId: entry.caseId, kind: kind, region: "", targetSeconds: target, warningPercent: Int(warning), calendar: calendar,
                        startedAt: entry.at)
                }
            case .status:
                guard case .object(let details) = entry.details, case .string(let from)? = details["from"], case .string(let to)? = details["to"],
                    let fromStatus = CaseStatus(rawValue: from), let toStatus = CaseStatus(rawValue: to)
                else { continue }
                _ = SLARules.apply(.statusChanged(from: fromStatus, to: toStatus), to: &clocks, at: entry.at)
            case .note, .contact:
                _ = SLARules.apply(.noteAdded, to: &clocks, at: entry.at)
            case .acknowledged:
                _ = SLARules.apply(.acknowledged, to: &clocks, at: entry.at)
            case .assignment:
                guard case .object(let details) = entry.details, case .string(let from)? = details["statusFrom"], case .string(let to)? = details["statusTo"],
                    let fromStatus = CaseStatus(rawValue: from), let toStatus = CaseStatus(rawValue: to)
                else { continue }
                _ = SLARules.apply(.statusChanged(from: fromStatus, to: toStatus), to: &clocks, at: entry.at)
            case .sla, .updated, .escalation, .sop, .link, .attachment:
                continue
            }
        }
        for index in clocks.indices { clocks[index].markCrossings(upTo: now) }
        return clocks
    }

    /// A difference between a stored clock and its recomputation.
    public struct Mismatch: Codable, Sendable, Hashable {
        public let caseId: String
        public let clock: String
        public let field: String
        public let stored: String
        public let recomputed: String
    }

    static func compare(stored: [SLAClock], recomputed: [SLAClock], now: Date) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        for clock in recomputed {
            guard let saved = stored.first(where: { $0.kind == clock.kind }) else {
                mismatches.append(Mismatch(caseId: clock.caseId, clock: clock.kind.rawValue, field: "clock", stored: "missing", recomputed: "present"))
                continue
            }
            func check(_ field: String, _ a: String, _ b: String) {
                if a != b { mismatches.append(Mismatch(caseId: clock.caseId, clock: clock.kind.rawValue, field: field, stored: a, recomputed: b)) }
            }
            func text(_ date: Date?) -> String { date.map(ISO8601.format) ?? "-" }
            check("targetSeconds", String(saved.targetSeconds), String(clock.targetSeconds))
            check("elapsedSeconds(now)", String(saved.elapsed(at: now)), String(clock.elapsed(at: now)))
            check("runningSince", text(saved.runningSince), text(clock.runningSince))
            check("stoppedAt", text(saved.stoppedAt), text(clock.stoppedAt))
            check("pauses", String(saved.pauses), String(clock.pauses))
            check("state", saved.state(at: now).rawValue, clock.state(at: now).rawValue)
            // The scanner may not have recorded a crossing yet; where both have one, they agree.
            if let a = saved.breachedAt, let b = clock.breachedAt { check("breachedAt", text(a), text(b)) }
            if let a = saved.warnedAt, let b = clock.warnedAt { check("warnedAt", text(a), text(b)) }
        }
        return mismatches
    }
}
