import Foundation
import Kernel
import SQLKit

/// The desk's figures over a period: what management reads.
public struct DeskReport: Codable, Sendable, Hashable {
    public struct Durations: Codable, Sendable, Hashable {
        public let count: Int
        public let medianSeconds: Int64?
        public let p90Seconds: Int64?

        public init(count: Int, medianSeconds: Int64?, p90Seconds: Int64?) {
            self.count = count
            self.medianSeconds = medianSeconds
            self.p90Seconds = p90Seconds
        }
    }

    public struct Attainment: Codable, Sendable, Hashable {
        public let clocks: Int
        public let met: Int
        public let breached: Int

        public init(clocks: Int, met: Int, breached: Int) {
            self.clocks = clocks
            self.met = met
            self.breached = breached
        }

        public var share: Double? { clocks == 0 ? nil : Double(met) / Double(clocks) }
    }

    public struct Share: Codable, Sendable, Hashable {
        public let total: Int
        public let hits: Int

        public init(total: Int, hits: Int) {
            self.total = total
            self.hits = hits
        }

        public var share: Double? { total == 0 ? nil : Double(hits) / Double(total) }
    }

    public struct AnalystFigures: Codable, Sendable, Hashable {
        public let analyst: String
        public let assigned: Int
        public let resolved: Int
        public let resolve: Durations
        public let slaBreaches: Int
    }

    public let region: String?
    public let from: Date
    public let to: Date
    public let opened: Int
    public let byBusinessLine: [String: Int]
    public let byCategory: [String: Int]
    public let bySeverity: [String: Int]
    public let acknowledge: Durations
    public let resolve: Durations
    public let slaAttainment: [String: Attainment]
    public let backlogByAge: [String: Int]
    public let reopenRate: Share
    public let escalationRate: Share
    public let sopOnTime: Share
    public let sopByStep: [String: Share]
    public let sopByCategory: [String: Share]
    public let sopByAnalyst: [String: Share]
    /// Cases by the local shift they were opened in: night (00–08), day (08–16), evening (16–24).
    public let byShift: [String: Int]
    public let sopByShift: [String: Share]
    public let analysts: [AnalystFigures]

    static func durations(_ values: [Int64]) -> Durations {
        guard !values.isEmpty else { return Durations(count: 0, medianSeconds: nil, p90Seconds: nil) }
        let sorted = values.sorted()
        // Nearest rank: the smallest value with at least p of the values at or below it.
        func percentile(_ p: Double) -> Int64 { sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))] }
        return Durations(count: sorted.count, medianSeconds: percentile(0.5), p90Seconds: percentile(0.9))
    }
}

/// Computes reports from the cases opened in a period, in a handful of range queries over
/// indexed columns; percentiles are taken in memory from one duration per case.
struct DeskReportBuilder: Sendable {
    let timeZone: TimeZone

    private struct CaseRow {
        let id: String
        let createdAt: Int64
        let resolvedAt: Int64?
        let businessLine: String
        let category: String
        let severity: String
        let assignee: String?
        let reopenCount: Int
    }

    /// `viewer`: a reader without sensitive access; the report then counts only the cases they may
    /// see (sensitive ones of their own making or assigned to them).
    func build(
        region: RegionCode?, from: Date, to: Date, now: Date, analystNames: [String: String], hidingSensitiveFrom viewer: Principal? = nil,
        on sql: any SQLDatabase
    ) async throws -> DeskReport {
        var visible: SQLQueryString = ""
        if let viewer {
            visible = " AND (c.sensitive = \(bind: false) OR c.created_by = \(bind: viewer.actor) OR c.assignee = \(bind: viewer.userID?.lowercased ?? "-"))"
        }
        var scope: SQLQueryString = "c.created_at >= \(bind: from.epochMicros) AND c.created_at < \(bind: to.epochMicros)"
        if let region { scope += " AND c.region = \(bind: region.rawValue)" }
        scope += visible
        var cases: [String: CaseRow] = [:]
        for row in try await sql.raw(
            "SELECT c.id, c.created_at, c.resolved_at, c.business_line, c.category, c.severity, c.assignee, c.reopen_count FROM incident_cases c WHERE \(scope)"
        ).all() {
            let item = CaseRow(
                id: try row.decode(column: "id", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
                resolvedAt: try row.optional("resolved_at", as: Int64.self), businessLine: try row.decode(column: "business_line", as: String.self),
                category: try row.decode(column: "category", as: String.self), severity: try row.decode(column: "severity", as: String.self),
                assignee: try row.optional("assignee", as: String.self), reopenCount: try row.decode(column: "reopen_count", as: Int.self))
            cases[item.id] = item
        }
        var acknowledgeSeconds: [Int64] = []
        var attainment: [String: (Int, Int, Int)] = [:]
        var breachesByCase: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT k.case_id, k.kind, k.started_at, k.stopped_at, k.breached_at FROM incident_sla_clocks k JOIN incident_cases c ON c.id = k.case_id WHERE \(scope)
            """
        ).all() {
            let kind = try row.decode(column: "kind", as: String.self)
            let started = try row.decode(column: "started_at", as: Int64.self)
            let stopped = try row.optional("stopped_at", as: Int64.self)
            let breached = try row.optional("breached_at", as: Int64.self) != nil
            if kind == SLAClockKind.acknowledge.rawValue, let stopped { acknowledgeSeconds.append((stopped - started) / 1_000_000) }
            if stopped != nil || breached {
                var entry = attainment[kind] ?? (0, 0, 0)
                entry.0 += 1
                if breached { entry.2 += 1 } else { entry.1 += 1 }
                attainment[kind] = entry
            }
            if breached { breachesByCase[try row.decode(column: "case_id", as: String.self), default: 0] += 1 }
        }
        let escalated = Set(
            try await sql.raw("SELECT DISTINCT e.case_id FROM incident_escalations e JOIN incident_cases c ON c.id = e.case_id WHERE \(scope)").all()
                .map { try $0.decode(column: "case_id", as: String.self) })
        // SOP: a case is on time when each of its mandatory steps was done by its deadline.
        var stepsByCase: [String: [(key: String, onTime: Bool)]] = [:]
        for row in try await sql.raw(
            """
            SELECT s.case_id, s.step_key, s.mandatory, s.due_at, s.done_at FROM incident_case_steps s JOIN incident_cases c ON c.id = s.case_id WHERE \(scope)
            """
        ).all() {
            let due = try row.decode(column: "due_at", as: Int64.self)
            let done = try row.optional("done_at", as: Int64.self)
            stepsByCase[try row.decode(column: "case_id", as: String.self), default: []].append(
                (try row.decode(column: "step_key", as: String.self), done.map { $0 <= due } ?? false))
        }
        var backlog: [String: Int] = ["under 1h": 0, "1-4h": 0, "4-24h": 0, "over 24h": 0]
        var backlogQuery: SQLQueryString =
            "SELECT c.created_at FROM incident_cases c WHERE c.status IN ('new', 'triaged', 'assigned', 'in-progress', 'waiting', 'escalated')"
        if let region { backlogQuery += " AND c.region = \(bind: region.rawValue)" }
        backlogQuery += visible
        for row in try await sql.raw(backlogQuery).all() {
            let hours = Double(now.epochMicros - (try row.decode(column: "created_at", as: Int64.self))) / 3_600_000_000
            backlog[hours < 1 ? "under 1h" : hours < 4 ? "1-4h" : hours < 24 ? "4-24h" : "over 24h", default: 0] += 1
        }

        func count(_ key: (CaseRow) -> String) -> [String: Int] { cases.values.reduce(into: [:]) { $0[key($1), default: 0] += 1 } }
        func shift(_ item: CaseRow) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let hour = calendar.component(.hour, from: Date(epochMicros: item.createdAt))
            return hour < 8 ? "night" : hour < 16 ? "day" : "evening"
        }
        func sopShare(_ group: (CaseRow) -> String) -> [String: DeskReport.Share] {
            var totals: [String: (Int, Int)] = [:]
            for (id, steps) in stepsByCase {
                guard let item = cases[id] else { continue }
                var entry = totals[group(item)] ?? (0, 0)
                entry.0 += 1
                if steps.allSatisfy(\.onTime) { entry.1 += 1 }
                totals[group(item)] = entry
            }
            return totals.mapValues { DeskReport.Share(total: $0.0, hits: $0.1) }
        }
        var byStep: [String: (Int, Int)] = [:]
        for steps in stepsByCase.values {
            for step in steps { var entry = byStep[step.key] ?? (0, 0); entry.0 += 1; if step.onTime { entry.1 += 1 }; byStep[step.key] = entry }
        }
        let resolvedDurations = cases.values.compactMap { item in item.resolvedAt.map { ($0 - item.createdAt) / 1_000_000 } }
        let byAnalyst = Dictionary(grouping: cases.values.filter { $0.assignee != nil }, by: { $0.assignee! })
        let analysts = byAnalyst.map { userID, items in
            DeskReport.AnalystFigures(
                analyst: analystNames[userID] ?? userID, assigned: items.count, resolved: items.filter { $0.resolvedAt != nil }.count,
                resolve: DeskReport.durations(items.compactMap { item in item.resolvedAt.map { ($0 - item.createdAt) / 1_000_000 } }),
                slaBreaches: items.reduce(0) { $0 + (breachesByCase[$1.id] ?? 0) })
        }.sorted { $0.analyst < $1.analyst }
        return DeskReport(
            region: region?.rawValue, from: from, to: to, opened: cases.count,
            byBusinessLine: count(\.businessLine), byCategory: count(\.category), bySeverity: count(\.severity),
            acknowledge: DeskReport.durations(acknowledgeSeconds), resolve: DeskReport.durations(resolvedDurations),
            slaAttainment: attainment.mapValues { DeskReport.Attainment(clocks: $0.0, met: $0.1, breached: $0.2) },
            backlogByAge: backlog,
            reopenRate: DeskReport.Share(total: resolvedDurations.count, hits: cases.values.filter { $0.reopenCount > 0 }.count),
            escalationRate: DeskReport.Share(total: cases.count, hits: escalated.count),
            sopOnTime: DeskReport.Share(total: stepsByCase.count, hits: stepsByCase.values.filter { $0.allSatisfy(\.onTime) }.count),
            sopByStep: byStep.mapValues { DeskReport.Share(total: $0.0, hits: $0.1) },
            sopByCategory: sopShare(\.category),
            sopByAnalyst: sopShare { analystNames[$0.assignee ?? ""] ?? $0.assignee ?? "unassigned" },
            byShift: count(shift), sopByShift: sopShare(shift), analysts: analysts
        )
    }
}
