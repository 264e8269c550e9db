import Foundation
import Kernel
import SQLKit
import WorkAssignment

/// Why an analyst got a case (or why nobody did), recorded on the case's timeline.
public struct AssignmentDecision: Codable, Sendable, Hashable {
    public let strategy: String
    public let queue: String?
    public let chosen: String?
    public let reason: String
    /// Eligible analysts read in the strategy's order (at most `AssignmentEngine.candidateLimit`).
    public let considered: Int
}

/// Picks analysts for cases and keeps their load, with the shared worker-pool rules (Kernel), all
/// inside the caller's transaction.
struct AssignmentEngine: Sendable {
    let context: DomainContext
    static let candidateLimit = WorkerPool.candidateLimit
    static let pool = WorkerPool(table: "incident_analysts", key: "user_id", columns: Analyst.columns, load: "active_cases", languages: "languages")

    /// Candidates of a queue for a case, best first, per the queue's strategy.
    func candidates(for incident: IncidentCase, queue: CaseQueue, now: Date, on sql: any SQLDatabase) async throws -> (list: [Analyst], fallback: Bool) {
        var conditions: [SQLQueryString] = ["region = \(bind: incident.region.rawValue)"]
        if incident.sensitive { conditions.append("sensitive_ok = \(bind: true)") }
        // A probe per candidate (by the user's shifts index) rather than the region's whole
        // roster gathered for every intake: candidates come in order, and few are read.
        let onShift: SQLQueryString = """
            EXISTS (SELECT 1 FROM incident_shifts s WHERE s.user_id = incident_analysts.user_id AND s.region = \(bind: incident.region.rawValue)
            AND s.ends_at > \(bind: now.epochMicros) AND s.starts_at <= \(bind: now.epochMicros))
            """
        let request = WorkRequest(
            strategy: queue.strategy, skill: queue.requiredSkill, language: queue.requiredLanguage, conditions: conditions, availability: onShift)
        let (rows, fellBack) = try await Self.pool.candidates(for: request, on: sql)
        return (try rows.map(Analyst.init(row:)), fellBack)
    }

    func reserve(_ analyst: Analyst, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await Self.pool.reserve(analyst.userId, at: now, on: sql)
    }

    func release(_ userID: String, on sql: any SQLDatabase) async throws {
        try await Self.pool.release(userID, on: sql)
    }

    /// Routes a case to its queue and assigns it by the queue's strategy; returns the decision and
    /// the analyst (nil: it waits in the queue, or no queue matches).
    func autoAssign(_ incident: IncidentCase, in tx: Transaction) async throws -> (queue: CaseQueue?, analyst: Analyst?, decision: AssignmentDecision) {
        guard let queue = try await QueueStore().route(incident, context: context, on: tx.sql) else {
            return (
                nil, nil,
                AssignmentDecision(strategy: "none", queue: nil, chosen: nil, reason: "no queue of \(incident.region) matches this case", considered: 0)
            )
        }
        let (list, fallback) = try await candidates(for: incident, queue: queue, now: tx.now, on: tx.sql)
        for analyst in list where try await reserve(analyst, at: tx.now, on: tx.sql) {
            let wanted = [queue.requiredSkill, queue.requiredLanguage].compactMap { $0 }.joined(separator: " and ")
            let reason = WorkerPool.reason(
                queue.strategy, fellBack: fallback, load: analyst.activeCases, capacity: analyst.capacity, lastAssigned: analyst.lastAssignedAt,
                wanted: wanted.isEmpty ? nil : wanted, noun: "cases")
            return (
                queue, analyst,
                AssignmentDecision(strategy: queue.strategy.rawValue, queue: queue.name, chosen: analyst.actor, reason: reason, considered: list.count)
            )
        }
        let reason =
            queue.strategy == .availabilityAware
            ? "no analyst on shift with free capacity\(incident.sensitive ? " and sensitive clearance" : ""); the case waits in the queue"
            : "every eligible analyst is at capacity\(incident.sensitive ? " or lacks sensitive clearance" : ""); the case waits in the queue"
        return (queue, nil, AssignmentDecision(strategy: queue.strategy.rawValue, queue: queue.name, chosen: nil, reason: reason, considered: list.count))
    }
}
