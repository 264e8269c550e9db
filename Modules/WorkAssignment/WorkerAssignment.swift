import Calendars
import Foundation
import Kernel
import SQLKit

/// How a queue or an assignment group picks a person. Shared by every domain that hands work to
/// people (the incident desk's analysts, the IT desk's agents), so that they behave alike.
public enum AssignmentStrategy: String, Codable, Sendable, StoredEnum {
    /// The person assigned longest ago, under capacity.
    case roundRobin = "round-robin"
    /// The person with the fewest open items, under capacity.
    case leastLoaded = "least-loaded"
    /// People with the required skill (and language) first, least loaded; anyone under capacity if none.
    case skillBased = "skill-based"
    /// Only people available now (on shift, at work) and under capacity, least loaded; none → the
    /// item waits.
    case availabilityAware = "availability-aware"
}

/// Where a domain keeps the people it assigns work to: a table with a key, an open-item count, a
/// capacity and the time of the last assignment; skills and languages as comma-wrapped lists
/// (`,medical,legal,`) so that one LIKE finds a whole word.
public struct WorkerPool: Sendable {
    public let table: String
    public let key: String
    /// The columns a candidate row is read with.
    public let columns: String
    public let load: String
    public let capacity: String
    public let lastAssigned: String
    public let skills: String
    public let languages: String?

    /// The best few are enough: the first with room takes the item (a concurrent transaction on
    /// PostgreSQL may take the last unit of one, and the next is tried).
    public static let candidateLimit = 8

    public init(
        table: String, key: String, columns: String, load: String, capacity: String = "capacity", lastAssigned: String = "last_assigned_at",
        skills: String = "skills", languages: String? = nil
    ) {
        self.table = table
        self.key = key
        self.columns = columns
        self.load = load
        self.capacity = capacity
        self.lastAssigned = lastAssigned
        self.skills = skills
        self.languages = languages
    }
}

/// What one assignment asks of a pool.
public struct WorkRequest {
    public var strategy: AssignmentStrategy
    public var skill: String?
    public var language: String?
    /// Conditions every candidate meets whatever the strategy (region, group, clearance).
    public var conditions: [SQLQueryString]
    /// What "available now" means in this pool (on shift; marked at work), for availability-aware.
    public var availability: SQLQueryString?

    public init(
        strategy: AssignmentStrategy, skill: String? = nil, language: String? = nil, conditions: [SQLQueryString] = [], availability: SQLQueryString? = nil
    ) {
        self.strategy = strategy
        self.skill = skill
        self.language = language
        self.conditions = conditions
        self.availability = availability
    }
}

extension WorkerPool {
    /// Candidates for one item, best first per the strategy; `fellBack` when skill-based found
    /// nobody with the skill and took anyone under capacity instead.
    public func candidates(for request: WorkRequest, on sql: any SQLDatabase) async throws -> (rows: [any SQLRow], fellBack: Bool) {
        func fetch(skill: String?, language: String?, available: Bool) async throws -> [any SQLRow] {
            var query: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: load) < \(unsafeRaw: capacity)"
            for condition in request.conditions { query += " AND " + condition }
            if let skill { query += " AND \(unsafeRaw: skills) LIKE \(bind: "%,\(skill),%")" }
            if let language, let languages { query += " AND \(unsafeRaw: languages) LIKE \(bind: "%,\(language),%")" }
            if available, let availability = request.availability { query += " AND " + availability }
            switch request.strategy {
            case .roundRobin: query += " ORDER BY \(unsafeRaw: lastAssigned), \(unsafeRaw: key)"
            default: query += " ORDER BY \(unsafeRaw: load), \(unsafeRaw: lastAssigned), \(unsafeRaw: key)"
            }
            query += " LIMIT \(unsafeRaw: String(Self.candidateLimit))"
            return try await sql.raw(query).all()
        }
        switch request.strategy {
        case .roundRobin, .leastLoaded:
            return (try await fetch(skill: request.skill, language: request.language, available: false), false)
        case .skillBased:
            let skilled = try await fetch(skill: request.skill, language: request.language, available: false)
            if !skilled.isEmpty || (request.skill == nil && request.language == nil) { return (skilled, false) }
            return (try await fetch(skill: nil, language: nil, available: false), true)
        case .availabilityAware:
            return (try await fetch(skill: request.skill, language: request.language, available: true), false)
        }
    }

    /// Takes one unit of a person's capacity, unless a concurrent assignment took the last one:
    /// the conditional increment is what keeps two concurrent intakes from overfilling anyone.
    public func reserve(_ id: String, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw(
            """
            UPDATE \(unsafeRaw: table) SET \(unsafeRaw: load) = \(unsafeRaw: load) + 1, \(unsafeRaw: lastAssigned) = \(bind: now.epochMicros)
            WHERE \(unsafeRaw: key) = \(bind: id) AND \(unsafeRaw: load) < \(unsafeRaw: capacity) RETURNING \(unsafeRaw: load)
            """
        ).first() != nil
    }

    /// Takes one unit of a person's capacity whatever their load: a person chose them (a manual
    /// assignment, starting work on a ticket, a reopened ticket back with its owner).
    /// `now` nil leaves the time of their last assignment alone.
    public func take(_ id: String, at now: Date?, on sql: any SQLDatabase) async throws {
        var query: SQLQueryString = "UPDATE \(unsafeRaw: table) SET \(unsafeRaw: load) = \(unsafeRaw: load) + 1"
        if let now { query += ", \(unsafeRaw: lastAssigned) = \(bind: now.epochMicros)" }
        try await sql.raw(query + " WHERE \(unsafeRaw: key) = \(bind: id)").run()
    }

    public func release(_ id: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            "UPDATE \(unsafeRaw: table) SET \(unsafeRaw: load) = \(unsafeRaw: load) - 1 WHERE \(unsafeRaw: key) = \(bind: id) AND \(unsafeRaw: load) > 0"
        ).run()
    }

    /// Why this person was chosen, in the words the timeline shows.
    public static func reason(_ strategy: AssignmentStrategy, fellBack: Bool, load: Int, capacity: Int, lastAssigned: Date?, wanted: String?, noun: String)
        -> String
    {
        switch strategy {
        case .roundRobin: "round robin: assigned longest ago (\(lastAssigned.map(ISO8601.format) ?? "never")), \(load) of \(capacity) \(noun)"
        case .leastLoaded: "least loaded: \(load) of \(capacity) \(noun)"
        case .skillBased:
            fellBack
                ? "no one with \(wanted ?? "the skill") under capacity; fell back to least loaded (\(load) of \(capacity))"
                : (wanted.map { "has \($0); " } ?? "") + "least loaded (\(load) of \(capacity))"
        case .availabilityAware: "available now, least loaded: \(load) of \(capacity) \(noun)"
        }
    }
}
