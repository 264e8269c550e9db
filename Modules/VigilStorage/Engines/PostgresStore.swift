import AsyncKit
import Foundation
import Kernel
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// PostgreSQL for larger or multi-node deployments: a connection pool, transactions on one
/// pooled connection each.
public final class PostgresStore: ManagedDatabase {
    public let location: DatabaseLocation
    public let family: SQLDialectFamily = .postgres
    public let outboxSignal = OutboxSignal()
    public let snapshots = ReadSnapshots()
    public let sql: any SQLDatabase
    // AsyncKit's pool is lock-protected and safe to share, but predates Sendable annotations.
    nonisolated(unsafe) private let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>

    /// `connectionWait`: how long a statement waits for a free connection before it fails.
    public static func open(url: String, maxConnectionsPerLoop: Int = 4, connectionWait: TimeAmount = .seconds(10), logger: Logger) async throws
        -> PostgresStore
    {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw VigilError(.badRequest, "cannot read the PostgreSQL URL \(DatabaseLocation.redact(url)): \(error)")
        }
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: maxConnectionsPerLoop,
            requestTimeout: connectionWait,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton
        )
        let store = PostgresStore(url: url, pool: pool, logger: logger)
        do {
            try await store.ping()
        } catch {
            await store.close()
            throw VigilError(.unavailable, "cannot reach PostgreSQL at \(DatabaseLocation.redact(url)): \(String(reflecting: error))")
        }
        return store
    }

    private init(url: String, pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, logger: Logger) {
        self.location = .postgres(url: url)
        self.pool = pool
        self.sql = pool.database(logger: logger).sql(queryLogLevel: nil)
    }

    public func transaction<R: Sendable>(
        domain: DomainID,
        invocation: Invocation,
        now: Date,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        let signal = outboxSignal
        let result = try await sql.withSession { session in
            try await TransactionRunner.run(
                session: session, begin: "BEGIN", family: .postgres, domain: domain,
                invocation: invocation, now: now, signal: signal, body
            )
        }
        snapshots.recordChange()
        return result
    }

    public func rawTransaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let result = try await sql.withSession { session in
            try await TransactionRunner.raw(session: session, begin: "BEGIN", body)
        }
        snapshots.recordChange()
        return result
    }

    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS one").first()
    }

    public func close() async {
        try? await pool.shutdownAsync()
    }
}
