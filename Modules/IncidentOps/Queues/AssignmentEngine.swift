import Foundation
import Kernel
import SQLKit

/// Why an analyst got a case (or why nobody did), recorded on the case's timeline.
public struct AssignmentDecision: Codable, Sendable, Hashable {
    public let strategy: String
    public let queue: String?
    public let chosen: String?
    public let reason: String
    /// Eligible analysts read in the strategy's order (at most `AssignmentEngine.candidateLimit`).
    public let considered: Int
}

/// Picks analysts for cases and keeps their load: all inside the caller's transaction, with a
/// conditional increment (`active_cases < capacity`) so that two concurrent intakes can never
/// push one analyst over capacity.
struct AssignmentEngine: Sendable {
    let context: DomainContext
    static let candidateLimit = 8

    /// Candidates of a queue for a case, best first, per the queue's strategy.
    func candidates(for incident: IncidentCase, queue: CaseQueue, now: Date, on sql: any SQLDatabase) async throws -> (list: [Analyst], fallback: Bool) {
        func fetch(skill: String?, language: String?, onShift: Bool) async throws -> [Analyst] {
            var query: SQLQueryString = """
                SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts
                WHERE region = \(bind: incident.region.rawValue) AND active_cases < capacity
                """
            if incident.sensitive { query += " AND sensitive_ok = \(bind: true)" }
            if let skill { query += " AND skills LIKE \(bind: "%,\(skill),%")" }
            if let language { query += " AND languages LIKE \(bind: "%,\(language),%")" }
            if onShift {
                // A probe per candidate (by the user's shifts index) rather than the region's whole
                // roster gathered for every intake: candidates come in order, and few are read.
                query += """
                     AND EXISTS (SELECT 1 FROM incident_shifts s WHERE s.user_id = incident_analysts.user_id AND s.region = \(bind: incident.region.rawValue)
                     AND s.ends_at > \(bind: now.epochMicros) AND s.starts_at <= \(bind: now.epochMicros))
                    """
            }
            switch queue.strategy {
            case .roundRobin: query += " ORDER BY last_assigned_at, user_id"
            default: query += " ORDER BY active_cases, last_assigned_at, user_id"
            }
            // The best few are enough: the first with room takes the case (a concurrent transaction
            // on PostgreSQL may take the last unit of one, and the next is tried).
            query += " LIMIT \(unsafeRaw: String(Self.candidateLimit))"
            return try await sql.raw(query).all().map(Analyst.init(row:))
        }
        switch queue.strategy {
        case .roundRobin, .leastLoaded:
            return (try await fetch(skill: queue.requiredSkill, language: queue.requiredLanguage, onShift: false), false)
        case .skillBased:
            let skilled = try await fetch(skill: queue.requiredSkill, language: queue.requiredLanguage, onShift: false)
            if !skilled.isEmpty || (queue.requiredSkill == nil && queue.requiredLanguage == nil) { return (skilled, false) }
            return (try await fetch(skill: nil, language: nil, onShift: false), true)
        case .availabilityAware:
            return (try await fetch(skill: queue.requiredSkill, language: queue.requiredLanguage, onShift: true), false)
        }
    }

    /// Takes one unit of an analyst's capacity, unless a concurrent assignment took the last one.
    func reserve(_ analyst: Analyst, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE incident_analysts SET active_cases = active_cases + 1, last_assigned_at = \(bind: now.epochMicros)
            WHERE user_id = \(bind: analyst.userId) AND active_cases < capacity RETURNING active_cases
            """).first() != nil
    }

    func release(_ userID: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE incident_analysts SET active_cases = active_cases - 1 WHERE user_id = \(bind: userID) AND active_cases > 0").run()
    }

    /// Routes a case to its queue and assigns it by the queue's strategy; returns the decision and
    /// the analyst (nil: it waits in the queue, or no queue matches).
    func autoAssign(_ incident: IncidentCase, in tx: Transaction) async throws -> (queue: CaseQueue?, analyst: Analyst?, decision: AssignmentDecision) {
        guard let queue = try await QueueStore().route(incident, context: context, on: tx.sql) else {
            return (nil, nil, AssignmentDecision(strategy: "none", queue: nil, chosen: nil, reason: "no queue of \(incident.region) matches this case", considered: 0))
        }
        let (list, fallback) = try await candidates(for: incident, queue: queue, now: tx.now, on: tx.sql)
        for analyst in list where try await reserve(analyst, at: tx.now, on: tx.sql) {
            let reason: String = switch queue.strategy {
            case .roundRobin: "round robin: assigned longest ago (\(analyst.lastAssignedAt.map(ISO8601.format) ?? "never")), \(analyst.activeCases) of \(analyst.capacity) cases"
            case .leastLoaded: "least loaded: \(analyst.activeCases) of \(analyst.capacity) cases"
            case .skillBased: fallback
                ? "no analyst with \(queue.requiredSkill ?? queue.requiredLanguage ?? "the skill") under capacity; fell back to least loaded (\(analyst.activeCases) of \(analyst.capacity))"
                : "has \([queue.requiredSkill, queue.requiredLanguage].compactMap { $0 }.joined(separator: " and ")); least loaded (\(analyst.activeCases) of \(analyst.capacity))"
            case .availabilityAware: "on shift now, least loaded: \(analyst.activeCases) of \(analyst.capacity) cases"
            }
            return (queue, analyst, AssignmentDecision(strategy: queue.strategy.rawValue, queue: queue.name, chosen: analyst.actor, reason: reason, considered: list.count))
        }
        let reason = queue.strategy == .availabilityAware
            ? "no analyst on shift with free capacity\(incident.sensitive ? " and sensitive clearance" : ""); the case waits in the queue"
            : "every eligible analyst is at capacity\(incident.sensitive ? " or lacks sensitive clearance" : ""); the case waits in the queue"
        return (queue, nil, AssignmentDecision(strategy: queue.strategy.rawValue, queue: queue.name, chosen: nil, reason: reason, considered: list.count))
    }
}
