import Foundation
import Kernel
import SQLKit
import TextEscaping

/// SQL for cases. Reads go to the database's readers; writes take the caller's transaction.
struct CaseStore: Sendable {
    static let table = "incident_cases"
    static let order: [KeysetColumn] = [.descending("created_at"), .descending("id")]

    /// `nextDueAt`: the soonest due instant of its running clocks (none: sorts last in queue views).
    /// A new case's clocks have not warned or breached, so it is also the soonest due to watch.
    func insert(_ incident: IncidentCase, nextDueAt: Date?, on sql: any SQLDatabase) async throws {
        // One raw statement rather than `SQLInsertBuilder.row`: intake is the busiest write and
        // runs on the single SQLite writer, where building the statement through the builder
        // cost 9% of the writer's time (BENCHMARKS.md, Kernel 2). Columns and values are named
        // side by side here, in one statement.
        try await sql.raw(
            """
            INSERT INTO incident_cases (
                id, reference, region, business_line, category, severity, status, description, location_address, latitude, longitude,
                sensitive, reporter_name, reporter_contact, occurred_at, created_at, created_by, updated_at, version,
                waiting_on, resolution_code, resolved_at, closed_at, reopen_count, queue_id, assignee, assigned_at, sop_id, subcategory, urgency, priority,
                next_due_at, sla_watch_due)
            VALUES (\(bind: incident.id), \(bind: incident.reference), \(bind: incident.region.rawValue), \(bind: incident.businessLine.rawValue),
                    \(bind: incident.category), \(bind: incident.severity.rawValue), \(bind: incident.status.rawValue), \(bind: incident.description),
                    \(bind: incident.location?.address), \(bind: incident.location?.latitude), \(bind: incident.location?.longitude),
                    \(bind: incident.sensitive), \(bind: incident.reporterName), \(bind: incident.reporterContact), \(bind: incident.occurredAt?.epochMicros),
                    \(bind: incident.createdAt.epochMicros), \(bind: incident.createdBy), \(bind: incident.updatedAt.epochMicros), \(bind: incident.version),
                    \(bind: incident.waitingOn?.rawValue), \(bind: incident.resolutionCode?.rawValue), \(bind: incident.resolvedAt?.epochMicros),
                    \(bind: incident.closedAt?.epochMicros), \(bind: incident.reopenCount), \(bind: incident.queueId), \(bind: incident.assignee),
                    \(bind: incident.assignedAt?.epochMicros), \(bind: incident.sopId), \(bind: incident.subcategory), \(bind: incident.urgency.rawValue),
                    \(bind: incident.priority.rawValue), \(bind: nextDueAt?.epochMicros ?? Int64.max), \(bind: nextDueAt?.epochMicros ?? Int64.max))
            """
        ).run()
    }

    /// By id (a UUID) or by human reference (INC-2026-000123).
    func find(_ key: String, on sql: any SQLDatabase) async throws -> IncidentCase? {
        let column = UUID(uuidString: key) != nil ? "id" : "reference"
        let value = UUID(uuidString: key)?.lowercased ?? key.uppercased()
        return try await sql.raw("SELECT \(unsafeRaw: IncidentCase.columns) FROM incident_cases WHERE \(ident: column) = \(bind: value)")
            .first().map(IncidentCase.init(row:))
    }

    /// One page of one region (or of all regions when `region` is nil), newest first.
    func page(
        _ filter: CaseFilter, region: RegionCode?, hideSensitiveExceptFrom viewer: (actor: String, userID: String?)?, after cursor: Cursor?, limit: Int,
        on sql: any SQLDatabase
    ) async throws -> [IncidentCase] {
        let select = sql.select().column(SQLRaw(IncidentCase.columns)).from(CaseStore.table)
        if let region { select.where("region", .equal, region.rawValue) }
        select.whereCases(match: filter, hidingSensitiveFrom: viewer)
        try select.keyset(CaseStore.order, after: cursor, limit: limit)
        return try await select.all().map(IncidentCase.init(row:))
    }

    /// How many cases match, with the same filters and visibility as a page.
    func count(_ filter: CaseFilter, regions: [RegionCode]?, hideSensitiveExceptFrom viewer: (actor: String, userID: String?)?, on sql: any SQLDatabase)
        async throws -> Int
    {
        let select = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(CaseStore.table)
        if let regions { select.where("region", .in, regions.map(\.rawValue)) }
        select.whereCases(match: filter, hidingSensitiveFrom: viewer)
        return try await select.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func openedSince(_ date: Date, on sql: any SQLDatabase) async throws -> [String: Int] {
        let rows = try await sql.raw("SELECT region, COUNT(*) AS opened FROM incident_cases WHERE created_at >= \(bind: date.epochMicros) GROUP BY region")
            .all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "region", as: String.self)] = try row.decode(column: "opened", as: Int.self) }
        return counts
    }
}

extension SQLSelectBuilder {
    /// The conditions of a case list, shared by its pages and its count so the two always agree;
    /// with a viewer, sensitive cases are left to their reporter, their assignee and those with
    /// sensitive access (the caller passes nil for the latter).
    @discardableResult
    func whereCases(match filter: CaseFilter, hidingSensitiveFrom viewer: (actor: String, userID: String?)?) -> Self {
        if let status = filter.status { self.where("status", .equal, status.rawValue) }
        if let open = filter.open {
            let finished = [CaseStatus.resolved, .closed].map(\.rawValue)
            self.where("status", open ? .notIn : .in, finished)
        }
        if let severity = filter.severity { self.where("severity", .equal, severity.rawValue) }
        if let businessLine = filter.businessLine { self.where("business_line", .equal, businessLine.rawValue) }
        if let category = filter.category { self.where("category", .equal, category) }
        if let sensitive = filter.sensitive { self.where("sensitive", .equal, sensitive) }
        if let from = filter.createdFrom { self.where("created_at", .greaterThanOrEqual, from.epochMicros) }
        if let before = filter.createdBefore { self.where("created_at", .lessThan, before.epochMicros) }
        if let queue = filter.queueId { self.where("queue_id", .equal, queue) }
        if let assignee = filter.assignee { self.where("assignee", .equal, assignee) }
        if filter.unassigned == true { self.where("assignee", .is, SQLLiteral.null) }
        if let text = filter.text {
            let pattern = LikePattern.containing(text)
            self.where { group in
                group.where(SQLFunction("LOWER", args: SQLColumn("description")), .like, SQLBind(pattern))
                    .orWhere(SQLFunction("LOWER", args: SQLColumn("reference")), .like, SQLBind(pattern))
            }
        }
        if let viewer {
            self.where { group in
                group.where("sensitive", .equal, false).orWhere("created_by", .equal, viewer.actor).orWhere("assignee", .equal, viewer.userID ?? "-")
            }
        }
        return self
    }
}
