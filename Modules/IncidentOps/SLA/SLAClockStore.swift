import Foundation
import JSONCoding
import Kernel
import SQLKit

/// SQL for SLA clocks. `due_at` and `warning_at` are stored for running clocks only, so that the
/// scanner finds what is due with an index range and never sees a paused clock.
struct SLAClockStore: Sendable {
    /// Inserts a case's clocks in one statement (intake runs thousands of times a second). Names
    /// its columns: it writes `due_at` and `warning_at` too, which no read needs.
    func insert(_ clocks: [SLAClock], on sql: any SQLDatabase) async throws {
        var query: SQLQueryString = """
            INSERT INTO incident_sla_clocks (case_id, kind, region, target_seconds, warning_percent, calendar, started_at, elapsed_seconds, running_since,
                due_at, warning_at, stopped_at, warned_at, breached_at, pauses)
            VALUES
            """
        for (index, clock) in clocks.enumerated() {
            let values: [any Encodable & Sendable] = [
                clock.caseId, clock.kind.rawValue, clock.region, clock.targetSeconds, clock.warningPercent,
                try JSONValueEncoder.encode(clock.calendar).jsonText, clock.startedAt.epochMicros, clock.elapsedSeconds,
                clock.runningSince?.epochMicros, clock.dueAt?.epochMicros, clock.warningAt?.epochMicros,
                clock.stoppedAt?.epochMicros, clock.warnedAt?.epochMicros, clock.breachedAt?.epochMicros, clock.pauses,
            ]
            query += "\(unsafeRaw: index == 0 ? " " : ", ")(\(binds: values))"
        }
        try await sql.raw(query).run()
    }

    func save(_ clock: SLAClock, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE incident_sla_clocks SET elapsed_seconds = \(bind: clock.elapsedSeconds), running_since = \(bind: clock.runningSince?.epochMicros),
                due_at = \(bind: clock.dueAt?.epochMicros), warning_at = \(bind: clock.warningAt?.epochMicros), stopped_at = \(bind: clock.stoppedAt?.epochMicros),
                warned_at = \(bind: clock.warnedAt?.epochMicros), breached_at = \(bind: clock.breachedAt?.epochMicros), pauses = \(bind: clock.pauses)
            WHERE case_id = \(bind: clock.caseId) AND kind = \(bind: clock.kind.rawValue)
            """
        ).run()
    }

    /// Brings the case row's view of its clocks up to date after they were written: the soonest
    /// due of its running clocks (`next_due_at`, which queue views sort by) and its SLA trouble
    /// (running clocks breached, at warning, and the soonest due not yet breached), which the
    /// desk's workload adds up from the index of open cases instead of reading every clock.
    func refreshCase(_ caseID: String, on sql: any SQLDatabase) async throws {
        // One read of the case's clocks for all four figures (not a subquery each).
        try await sql.raw(
            """
            UPDATE incident_cases SET (next_due_at, sla_breached, sla_at_risk, sla_watch_due) = (
                SELECT COALESCE(MIN(due_at), 9223372036854775807),
                       COUNT(CASE WHEN stopped_at IS NULL AND breached_at IS NOT NULL THEN 1 END),
                       COUNT(CASE WHEN stopped_at IS NULL AND warned_at IS NOT NULL AND breached_at IS NULL THEN 1 END),
                       COALESCE(MIN(CASE WHEN stopped_at IS NULL AND breached_at IS NULL THEN due_at END), 9223372036854775807)
                FROM incident_sla_clocks WHERE case_id = \(bind: caseID))
            WHERE id = \(bind: caseID)
            """
        ).run()
    }

    func clocks(of caseID: String, on sql: any SQLDatabase) async throws -> [SLAClock] {
        try await sql.raw("SELECT \(unsafeRaw: SLAClock.columns) FROM incident_sla_clocks WHERE case_id = \(bind: caseID)")
            .all().map(SLAClock.init(row:)).sorted { $0.kind.order < $1.kind.order }
    }

    /// Running clocks whose warning or due instant has passed without being recorded.
    func due(at now: Date, limit: Int, on sql: any SQLDatabase) async throws -> [SLAClock] {
        let breaching = try await sql.raw(
            """
            SELECT \(unsafeRaw: SLAClock.columns) FROM incident_sla_clocks
            WHERE due_at <= \(bind: now.epochMicros) AND breached_at IS NULL ORDER BY due_at LIMIT \(bind: limit)
            """
        ).all()
        let warning = try await sql.raw(
            """
            SELECT \(unsafeRaw: SLAClock.columns) FROM incident_sla_clocks
            WHERE warning_at <= \(bind: now.epochMicros) AND warned_at IS NULL ORDER BY warning_at LIMIT \(bind: limit)
            """
        ).all()
        var seen = Set<String>()
        return try (breaching + warning).map(SLAClock.init(row:)).filter { seen.insert("\($0.caseId)/\($0.kind.rawValue)").inserted }
    }
}

extension SLAClock: StoredRow {
    public init(_ row: RowReader) throws {
        caseId = try row["case_id"]
        kind = try row["kind"]
        region = try row["region"]
        targetSeconds = try row["target_seconds"]
        warningPercent = try row["warning_percent"]
        calendar = try row.json("calendar", empty: .always)
        startedAt = try row["started_at"]
        elapsedSeconds = try row["elapsed_seconds"]
        runningSince = try row["running_since"]
        stoppedAt = try row["stopped_at"]
        warnedAt = try row["warned_at"]
        breachedAt = try row["breached_at"]
        pauses = try row["pauses"]
    }
}

extension SLAClockKind {
    var order: Int { SLAClockKind.allCases.firstIndex(of: self) ?? 0 }
}
