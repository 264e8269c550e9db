import AgentPerformanceInterface
import Foundation
import Kernel
import SQLKit

/// Desk reports over a period (shift, day, week, month, or explicit bounds), and the agent
/// performance capability other domains read.
public struct ReportService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    public enum Period: String, Sendable, CaseIterable { case shift, day, week, month }

    /// The bounds of a period ending at `end` (or explicit bounds).
    public static func bounds(period: Period?, from: Date?, to: Date?, now: Date) throws(VigilError) -> (Date, Date) {
        if let from, let to {
            guard to > from else { throw VigilError.invalid("to", .outOfRange, "must be after from") }
            guard to.timeIntervalSince(from) <= 400 * 86_400 else { throw VigilError.invalid("to", .outOfRange, "a report covers at most 400 days") }
            return (from, to)
        }
        let end = to ?? now
        let length: TimeInterval =
            switch period ?? .day {
            case .shift: 8 * 3600
            case .day: 86_400
            case .week: 7 * 86_400
            case .month: 30 * 86_400
            }
        return (end.addingTimeInterval(-length), end)
    }

    public func report(region: RegionCode?, from: Date, to: Date, by principal: Principal) async throws -> DeskReport {
        try principal.require(IncidentOpsPermissions.reportRead)
        if let region {
            try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        } else if principal.regions.filter != nil {
            throw VigilError.invalid("region", .required, "give a region: you do not see every region")
        }
        var timeZone = TimeZone(identifier: "UTC")!
        if let region, let info = try await context.regions.region(region), let zone = TimeZone(identifier: info.timeZone) { timeZone = zone }
        var names: [String: String] = [:]
        for row in try await context.database.sql.raw("SELECT user_id, actor FROM incident_analysts").all() {
            names[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "actor", as: String.self)
        }
        let viewer = principal.has(IncidentOpsPermissions.caseReadSensitive) ? nil : principal
        let (now, sql, zone, analystNames) = (context.clock.now(), context.database.sql, timeZone, names)
        // Seconds of folding over a long period: on the long-work thread, not the request threads.
        return try await context.longRunning {
            try await DeskReportBuilder(timeZone: zone).build(
                region: region, from: from, to: to, now: now, analystNames: analystNames, hidingSensitiveFrom: viewer, on: sql)
        }
    }
}

/// IncidentOps's answer to `AgentPerformanceProvider`.
struct DeskAgentPerformance: AgentPerformanceProvider {
    let context: DomainContext

    func performance(of userID: UUID, from: Date, to: Date) async throws -> AgentPerformance {
        let id = userID.lowercased
        let rows = try await context.database.sql.raw(
            """
            SELECT id, created_at, resolved_at FROM incident_cases
            WHERE assignee = \(bind: id) AND created_at >= \(bind: from.epochMicros) AND created_at < \(bind: to.epochMicros)
            """
        ).all()
        let durations = try rows.compactMap { row -> Int64? in
            guard let resolved = try row.optional("resolved_at", as: Int64.self) else { return nil }
            return (resolved - (try row.decode(column: "created_at", as: Int64.self))) / 1_000_000
        }
        let clocks = try await context.database.sql.raw(
            """
            SELECT k.case_id, k.breached_at FROM incident_sla_clocks k JOIN incident_cases c ON c.id = k.case_id
            WHERE c.assignee = \(bind: id) AND c.created_at >= \(bind: from.epochMicros) AND c.created_at < \(bind: to.epochMicros)
            """
        ).all()
        var breachedCases = Set<String>()
        var allCases = Set<String>()
        for row in clocks {
            let caseID = try row.decode(column: "case_id", as: String.self)
            allCases.insert(caseID)
            if try row.optional("breached_at", as: Int64.self) != nil { breachedCases.insert(caseID) }
        }
        let steps = try await context.database.sql.raw(
            """
            SELECT s.case_id, s.due_at, s.done_at FROM incident_case_steps s JOIN incident_cases c ON c.id = s.case_id
            WHERE c.assignee = \(bind: id) AND c.created_at >= \(bind: from.epochMicros) AND c.created_at < \(bind: to.epochMicros) AND s.mandatory = \(bind: true)
            """
        ).all()
        var onTimeByCase: [String: Bool] = [:]
        for row in steps {
            let caseID = try row.decode(column: "case_id", as: String.self)
            let onTime = try row.optional("done_at", as: Int64.self).map { $0 <= (try row.decode(column: "due_at", as: Int64.self)) } ?? false
            onTimeByCase[caseID] = (onTimeByCase[caseID] ?? true) && onTime
        }
        let qa = try await context.database.sql.raw(
            """
            SELECT AVG(score) AS average FROM incident_qa_reviews
            WHERE analyst_id = \(bind: id) AND state = 'done' AND reviewed_at >= \(bind: from.epochMicros) AND reviewed_at < \(bind: to.epochMicros)
            """
        ).first()?.optional("average", as: Double.self)
        return AgentPerformance(
            userID: userID, from: from, to: to, casesAssigned: rows.count, casesResolved: durations.count,
            medianResolveSeconds: DeskReport.durations(durations).medianSeconds,
            slaAttainment: allCases.isEmpty ? nil : Double(allCases.count - breachedCases.count) / Double(allCases.count),
            sopOnTime: onTimeByCase.isEmpty ? nil : Double(onTimeByCase.values.filter { $0 }.count) / Double(onTimeByCase.count),
            qaScore: qa
        )
    }
}
