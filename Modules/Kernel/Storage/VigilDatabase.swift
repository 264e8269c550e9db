import Foundation
import SQLKit

/// Which SQL engine is underneath; domain code rarely needs it (migrations do, via templates).
public enum SQLDialectFamily: String, Sendable, Codable {
    case sqlite, postgres
}

/// The database handle domains receive: SQLKit for queries, and transactions that carry the audit
/// log, the outbox and the other platform services with them.
public protocol VigilDatabase: Sendable {
    var family: SQLDialectFamily { get }
    /// For reads outside a transaction. Each statement runs on its own; use a transaction where
    /// several reads must see one snapshot.
    var sql: any SQLDatabase { get }
    /// Expensive reads kept and shared while exact (see ReadSnapshots); the handle reports each
    /// commit to it, so a kept read knows when it is out of date.
    var snapshots: ReadSnapshots { get }

    func transaction<R: Sendable>(
        domain: DomainID,
        invocation: Invocation,
        now: Date,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R
}
