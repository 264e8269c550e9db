import Calendars
import Foundation
import Kernel
import SQLKit
import TextEscaping

/// Builds a handover snapshot from live data with a few indexed queries; lists are capped so the
/// snapshot stays readable (counts are complete).
struct HandoverBuilder: Sendable {
    static let listLimit = 25

    /// `includingSensitive`: false builds the view of readers who may not see sensitive cases:
    /// they are in no list and no count.
    func build(region: RegionCode, periodStart: Date, periodEnd: Date, now: Date, includingSensitive: Bool, on sql: any SQLDatabase) async throws
        -> HandoverSnapshot
    {
        let onlyPlain: SQLQueryString = includingSensitive ? "" : " AND sensitive = \(bind: false)"
        let onlyPlainCases: SQLQueryString = includingSensitive ? "" : " AND c.sensitive = \(bind: false)"
        var byStatus: [String: Int] = [:]
        for row in try await sql.raw(
            "SELECT status, COUNT(*) AS n FROM incident_cases WHERE region = \(bind: region.rawValue) AND \(OpenCases.condition())\(onlyPlain) GROUP BY status"
        ).all() {
            byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let micros = now.epochMicros
        let ageRow = try await sql.raw(
            """
            SELECT SUM(CASE WHEN created_at > \(bind: micros - 3_600_000_000) THEN 1 ELSE 0 END) AS under1h,
                   SUM(CASE WHEN created_at <= \(bind: micros - 3_600_000_000) AND created_at > \(bind: micros - 14_400_000_000) THEN 1 ELSE 0 END) AS h1to4,
                   SUM(CASE WHEN created_at <= \(bind: micros - 14_400_000_000) AND created_at > \(bind: micros - 86_400_000_000) THEN 1 ELSE 0 END) AS h4to24,
                   SUM(CASE WHEN created_at <= \(bind: micros - 86_400_000_000) THEN 1 ELSE 0 END) AS over24h,
                   SUM(CASE WHEN sensitive THEN 1 ELSE 0 END) AS sensitive,
                   SUM(CASE WHEN assignee IS NULL THEN 1 ELSE 0 END) AS unassigned
            FROM incident_cases WHERE region = \(bind: region.rawValue) AND \(OpenCases.condition())\(onlyPlain)
            """
        ).first()
        func count(_ column: String) throws -> Int { try ageRow?.optional(column, as: Int.self) ?? 0 }
        let lineColumns = "c.reference, c.severity, c.status, c.category, c.created_at"
        func lines(_ query: SQLQueryString, detail: String? = nil) async throws -> [HandoverSnapshot.CaseLine] {
            try await sql.raw(query).all().map { row in
                HandoverSnapshot.CaseLine(
                    reference: try row.decode(column: "reference", as: String.self), severity: try row.decode(column: "severity", as: String.self),
                    status: try row.decode(column: "status", as: String.self), category: try row.decode(column: "category", as: String.self),
                    openedAt: Date(epochMicros: try row.decode(column: "created_at", as: Int64.self)),
                    detail: try detail.flatMap { try row.optional($0, as: String.self) })
            }
        }
        let breached = try await lines(
            """
            SELECT \(unsafeRaw: lineColumns), k.kind AS detail FROM incident_sla_clocks k JOIN incident_cases c ON c.id = k.case_id
            WHERE k.region = \(bind: region.rawValue) AND k.breached_at IS NOT NULL AND k.stopped_at IS NULL AND \(OpenCases.condition(alias: "c"))\(onlyPlainCases)
            ORDER BY k.breached_at LIMIT \(bind: Self.listLimit)
            """, detail: "detail")
        let atRisk = try await lines(
            """
            SELECT \(unsafeRaw: lineColumns), k.kind AS detail FROM incident_sla_clocks k JOIN incident_cases c ON c.id = k.case_id
            WHERE k.region = \(bind: region.rawValue) AND k.warned_at IS NOT NULL AND k.breached_at IS NULL AND k.stopped_at IS NULL AND \(OpenCases.condition(alias: "c"))\(onlyPlainCases)
            ORDER BY k.due_at LIMIT \(bind: Self.listLimit)
            """, detail: "detail")
        let escalations = try await lines(
            """
            SELECT \(unsafeRaw: lineColumns), e.reason AS detail FROM incident_escalations e JOIN incident_cases c ON c.id = e.case_id
            WHERE e.region = \(bind: region.rawValue) AND e.state <> 'closed'\(onlyPlainCases) ORDER BY e.raised_at LIMIT \(bind: Self.listLimit)
            """, detail: "detail")
        // `+c.created_at`: sorted after the read, so SQLite takes the region's open cases by
        // status rather than walking every case of the region in creation order (12 ms, not
        // 100–230 ms, on a million-case desk); PostgreSQL reads it the same either way.
        let unassigned = try await lines(
            """
            SELECT \(unsafeRaw: lineColumns) FROM incident_cases c
            WHERE c.region = \(bind: region.rawValue) AND \(OpenCases.condition(alias: "c")) AND c.assignee IS NULL\(onlyPlainCases) ORDER BY +c.created_at LIMIT \(bind: Self.listLimit)
            """)
        let notable = try await lines(
            """
            SELECT \(unsafeRaw: lineColumns) FROM incident_cases c
            WHERE c.region = \(bind: region.rawValue) AND c.created_at >= \(bind: periodStart.epochMicros) AND c.created_at < \(bind: periodEnd.epochMicros)
              AND (c.severity = 'S1' OR c.reopen_count > 0)\(onlyPlainCases) ORDER BY c.created_at LIMIT \(bind: Self.listLimit)
            """)
        return HandoverSnapshot(
            region: region.rawValue, periodStart: periodStart, periodEnd: periodEnd, openByStatus: byStatus,
            openByAge: ["under 1h": try count("under1h"), "1-4h": try count("h1to4"), "4-24h": try count("h4to24"), "over 24h": try count("over24h")],
            breached: breached, atRisk: atRisk, escalationsOpen: escalations, sensitiveOpen: includingSensitive ? try count("sensitive") : nil,
            unassigned: unassigned, unassignedCount: try count("unassigned"), notable: notable
        )
    }
}

/// Markdown and HTML forms of a handover, for reading and printing.
public enum HandoverRenderer {
    public static func markdown(_ handover: Handover) -> String {
        let snapshot = handover.snapshot
        func section(_ title: String, _ lines: [HandoverSnapshot.CaseLine]) -> String {
            guard !lines.isEmpty else { return "## \(title)\n\nNone.\n" }
            return "## \(title)\n\n| case | sev | status | category | opened | detail |\n|---|---|---|---|---|---|\n"
                + lines.map { "| \($0.reference) | \($0.severity) | \($0.status) | \($0.category) | \(ISO8601.format($0.openedAt)) | \($0.detail ?? "") |" }
                .joined(separator: "\n") + "\n"
        }
        let statuses = snapshot.openByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let ages = ["under 1h", "1-4h", "4-24h", "over 24h"].map { "\($0): \(snapshot.openByAge[$0] ?? 0)" }.joined(separator: ", ")
        return """
            # Shift handover — \(handover.region), shift ending \(ISO8601.format(handover.shiftEndsAt))

            Generated \(ISO8601.format(handover.generatedAt)) by \(handover.generatedBy). \
            \(handover.acknowledgedAt.map { "Acknowledged \(ISO8601.format($0)) by \(handover.acknowledgedBy ?? "?")." } ?? (handover.overdue ? "**Not acknowledged (overdue).**" : "Not acknowledged yet."))

            ## Notes from the outgoing coordinator

            \(handover.notes ?? "None.")

            ## Open cases

            By status: \(statuses.isEmpty ? "none" : statuses). By age: \(ages). \(snapshot.sensitiveOpen.map { "Sensitive: \($0). " } ?? "")Unassigned: \(snapshot.unassignedCount).

            \(section("SLA breached", snapshot.breached))
            \(section("SLA at risk", snapshot.atRisk))
            \(section("Escalations open", snapshot.escalationsOpen))
            \(section("Unassigned queue (oldest first)", snapshot.unassigned))
            \(section("Notable this shift (S1, reopened)", snapshot.notable))
            """
    }

    public static func html(_ handover: Handover) -> String {
        // A plain, printable page: the Markdown, escaped, with headings and tables kept as text.
        let escaped = HTMLText.escape(markdown(handover))
        return
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Handover \(handover.region)</title></head><body><pre>\(escaped)</pre></body></html>"
    }
}
