import Foundation
import SQLKit

extension Transaction {
    /// Optimistic concurrency: applies `assignments` only if the row is still at `expectedVersion`,
    /// bumping the version. A stale version is a 412 that changes nothing; a missing row is a 404.
    /// Returns the new version.
    public func updateVersioned(
        table: String,
        id: String,
        expectedVersion: Int,
        entity: String,
        assignments: [(column: String, value: any Encodable & Sendable)]
    ) async throws -> Int {
        let update = sql.update(table)
        for assignment in assignments {
            update.set(SQLColumn(assignment.column), to: SQLBind(assignment.value))
        }
        let rows =
            try await update
            .set(SQLColumn("version"), to: SQLRaw("version + 1"))
            .where("id", .equal, id)
            .where("version", .equal, expectedVersion)
            .returning("version")
            .all()
        if let row = rows.first {
            return try row.decode(column: "version", as: Int.self)
        }
        let current = try await sql.select().column("version").from(table).where("id", .equal, id).first()
        guard let current else { throw VigilError.notFound(entity) }
        throw VigilError.stale(expected: expectedVersion, current: try current.decode(column: "version", as: Int.self))
    }
}
