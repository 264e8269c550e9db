import Foundation
import Kernel
import SQLKit

/// A database the host owns: the domain-facing `VigilDatabase` plus what only the host does
/// (health checks, closing, waking the outbox).
public protocol ManagedDatabase: VigilDatabase {
    var location: DatabaseLocation { get }
    /// Signals committed outbox events to whoever delivers them.
    var outboxSignal: OutboxSignal { get }
    /// A plain transaction on one session, without the platform's records (migrations, restores).
    func rawTransaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func ping() async throws
    func close() async
}

extension TransactionRunner {
    static func raw<R: Sendable>(session: any SQLDatabase, begin: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await session.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(session)
            try await session.raw("COMMIT").run()
            return result
        } catch {
            try? await session.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// Runs `body` between BEGIN and COMMIT on one session, rolling back on any error.
enum TransactionRunner {
    static func run<R: Sendable>(
        session: any SQLDatabase,
        begin: String,
        family: SQLDialectFamily,
        domain: DomainID,
        invocation: Invocation,
        now: Date,
        signal: OutboxSignal,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        try await session.raw(SQLQueryString(begin)).run()
        let transaction = Transaction(sql: session, domain: domain, invocation: invocation, now: now, family: family, backend: PlatformBackend())
        let result: R
        do {
            result = try await body(transaction)
            try await session.raw("COMMIT").run()
        } catch {
            do {
                try await session.raw("ROLLBACK").run()
            } catch {
                session.logger.error("rollback failed", metadata: ["error": "\(error)"])
            }
            throw error
        }
        if transaction.publishedEventCount > 0 { signal.notify() }
        return result
    }
}
