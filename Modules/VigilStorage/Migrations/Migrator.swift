import Foundation
import Kernel
import SQLKit

/// Applies and checks migrations against the ledger table `vigil_migrations`.
public struct Migrator: Sendable {
    let database: any ManagedDatabase
    let plan: MigrationPlan

    public init(database: any ManagedDatabase, plan: MigrationPlan) {
        self.database = database
        self.plan = plan
    }

    public struct Status: Sendable, Codable, Hashable {
        public enum State: String, Sendable, Codable {
            case applied, pending
            /// Applied with another checksum: the migration was edited after it shipped.
            case changed
            /// In the database but not in this build: a newer or larger build wrote it.
            case unknown
            /// In the database for a domain this build does not include; left untouched.
            case foreign
        }

        public let domain: String
        public let id: String
        public let summary: String
        public let state: State
        public let appliedAt: Date?
    }

    private struct LedgerRow: Sendable {
        let domain: String
        let id: String
        let checksum: String
        let summary: String
        let appliedAt: Int64
    }

    private func ensureLedger() async throws {
        try await database.rawTransaction { sql in
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS vigil_migrations (
                    domain TEXT NOT NULL,
                    id TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    applied_at BIGINT NOT NULL,
                    applied_by TEXT NOT NULL,
                    PRIMARY KEY (domain, id)
                )
                """
            ).run()
        }
    }

    private func ledger() async throws -> [LedgerRow] {
        try await ensureLedger()
        return try await database.sql.raw("SELECT domain, id, checksum, summary, applied_at FROM vigil_migrations ORDER BY applied_at, domain, id")
            .all().map { row in
                LedgerRow(
                    domain: try row.decode(column: "domain", as: String.self),
                    id: try row.decode(column: "id", as: String.self),
                    checksum: try row.decode(column: "checksum", as: String.self),
                    summary: try row.decode(column: "summary", as: String.self),
                    appliedAt: try row.decode(column: "applied_at", as: Int64.self)
                )
            }
    }

    /// Every migration of the plan and of the ledger, with its state.
    public func status() async throws -> [Status] {
        let rows = try await ledger()
        var applied: [String: LedgerRow] = [:]
        for row in rows { applied["\(row.domain)/\(row.id)"] = row }
        var result: [Status] = plan.entries.map { entry in
            let key = "\(entry.domain)/\(entry.migration.id)"
            guard let row = applied.removeValue(forKey: key) else {
                return Status(domain: entry.domain.rawValue, id: entry.migration.id, summary: entry.migration.summary, state: .pending, appliedAt: nil)
            }
            return Status(
                domain: entry.domain.rawValue, id: entry.migration.id, summary: entry.migration.summary,
                state: row.checksum == entry.checksum ? .applied : .changed, appliedAt: Date(epochMicros: row.appliedAt))
        }
        for row in rows where applied["\(row.domain)/\(row.id)"] != nil {
            let known = DomainID(stored: row.domain).map(plan.domains.contains) ?? false
            result.append(
                Status(domain: row.domain, id: row.id, summary: row.summary, state: known ? .unknown : .foreign, appliedAt: Date(epochMicros: row.appliedAt)))
        }
        return result
    }

    /// Refuses a database this build must not touch: a migration edited after it was applied, or
    /// a migration of one of this build's domains that this build does not know (no silent
    /// downgrade).
    public func check() async throws {
        let problems = try await status().filter { $0.state == .changed || $0.state == .unknown }
        guard let first = problems.first else { return }
        let lines = problems.map { status in
            switch status.state {
            case .changed: "  \(status.domain)/\(status.id): applied with a different checksum (the migration was edited after it shipped)"
            default: "  \(status.domain)/\(status.id): applied by a newer vigil; this build does not know it"
            }
        }
        throw VigilError(
            .conflict,
            """
            refusing to use this database: its schema does not match this build (first: \(first.domain)/\(first.id))
            \(lines.joined(separator: "\n"))
            Run the vigil build that wrote it, or restore a backup that matches this build.
            """)
    }

    /// True when nothing is pending and nothing is refused.
    public func isCurrent() async throws -> Bool {
        try await status().allSatisfy { $0.state == .applied || $0.state == .foreign }
    }

    /// Applies pending migrations in plan order, each in its own transaction with its ledger row.
    @discardableResult
    public func apply(by actor: String, now: @Sendable () -> Date = { Date() }) async throws -> [Status] {
        try await check()
        let done = Set(try await ledger().map { "\($0.domain)/\($0.id)" })
        var applied: [Status] = []
        let family = database.family
        for entry in plan.entries where !done.contains("\(entry.domain)/\(entry.migration.id)") {
            let at = now()
            do {
                try await database.rawTransaction { sql in
                    for statement in entry.migration.statements {
                        try await sql.raw(SQLQueryString(SQLTemplate.expand(statement, for: family))).run()
                    }
                    try await sql.raw(
                        """
                        INSERT INTO vigil_migrations (domain, id, checksum, summary, applied_at, applied_by)
                        VALUES (\(bind: entry.domain.rawValue), \(bind: entry.migration.id), \(bind: entry.checksum),
                                \(bind: entry.migration.summary), \(bind: at.epochMicros), \(bind: actor))
                        """
                    ).run()
                }
            } catch {
                throw VigilError(.internal, "migration \(entry.domain)/\(entry.migration.id) failed and was rolled back: \(String(reflecting: error))")
            }
            applied.append(Status(domain: entry.domain.rawValue, id: entry.migration.id, summary: entry.migration.summary, state: .applied, appliedAt: at))
        }
        return applied
    }
}
