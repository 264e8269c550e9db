import Foundation
import Kernel
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// The embedded default: one SQLite file in WAL mode. One writer connection takes transactions in
/// turn (SQLite allows one writer anyway); a few reader connections serve queries concurrently
/// from WAL snapshots.
public final class SQLiteStore: ManagedDatabase {
    public let location: DatabaseLocation
    public let family: SQLDialectFamily = .sqlite
    public let outboxSignal = OutboxSignal()
    public let sql: any SQLDatabase

    let path: String
    private let writer: SQLiteConnection
    private let writerSQL: any SQLDatabase
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let threadPool: NIOThreadPool
    private let logger: Logger

    public struct Options: Sendable {
        public var readers: Int = 3
        /// FULL: a committed transaction survives a power cut. NORMAL: it survives a crash of the
        /// process, and the last commits may be lost on a power cut, for much faster writes.
        public var synchronous: String = "FULL"
        public var busyTimeoutMilliseconds: Int = 5_000
        public init() {}
    }

    public static func open(path: String, options: Options = .init(), logger: Logger) async throws -> SQLiteStore {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw VigilError(.unavailable, "cannot create the database \(path): the folder \(directory) does not exist")
        }
        let pool = NIOThreadPool(numberOfThreads: options.readers + 1)
        pool.start()
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            let writer = try await SQLiteConnection.open(storage: .file(path: path), threadPool: pool, logger: logger, on: loop)
            try await configure(writer, options: options, isWriter: true)
            var readers: [SQLiteConnection] = []
            for _ in 0..<max(1, options.readers) {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), threadPool: pool, logger: logger, on: loop)
                try await configure(reader, options: options, isWriter: false)
                readers.append(reader)
            }
            return SQLiteStore(path: path, writer: writer, readers: readers, threadPool: pool, logger: logger)
        } catch {
            try? await pool.shutdownGracefully()
            if let sqliteError = error as? SQLiteError {
                throw VigilError(.unavailable, "cannot open the SQLite database \(path): \(sqliteError.message)")
            }
            throw error
        }
    }

    private static func configure(_ connection: SQLiteConnection, options: Options, isWriter: Bool) async throws {
        let sql = connection.sql(queryLogLevel: nil)
        // busy_timeout replaces SQLiteNIO's retry-forever busy handler with a bounded wait.
        try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(options.busyTimeoutMilliseconds))").run()
        if isWriter {
            let mode = try await sql.raw("PRAGMA journal_mode = WAL").first()?.decode(column: "journal_mode", as: String.self)
            guard mode?.lowercased() == "wal" else {
                throw VigilError(.unavailable, "the database could not switch to WAL mode (it is in \(mode ?? "unknown") mode)")
            }
        }
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        try await sql.raw("PRAGMA synchronous = \(unsafeRaw: options.synchronous == "NORMAL" ? "NORMAL" : "FULL")").run()
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
        try await sql.raw("PRAGMA cache_size = -32000").run()
    }

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection], threadPool: NIOThreadPool, logger: Logger) {
        self.location = .sqlite(path: path)
        self.path = path
        self.writer = writer
        self.writerSQL = writer.sql(queryLogLevel: nil)
        self.readers = readers
        self.sql = RoundRobinSQLDatabase(members: readers.map { $0.sql(queryLogLevel: nil) })
        self.threadPool = threadPool
        self.logger = logger
    }

    public func transaction<R: Sendable>(
        domain: DomainID,
        invocation: Invocation,
        now: Date,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        try await writeLock.withLock {
            // IMMEDIATE takes the write lock up front, so a transaction never fails halfway
            // because another process (the CLI beside the server) started writing.
            try await TransactionRunner.run(
                session: writerSQL, begin: "BEGIN IMMEDIATE", family: .sqlite, domain: domain,
                invocation: invocation, now: now, signal: outboxSignal, body
            )
        }
    }

    public func rawTransaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await writeLock.withLock {
            try await TransactionRunner.raw(session: writerSQL, begin: "BEGIN IMMEDIATE", body)
        }
    }

    /// Runs `body` on the writer connection outside any transaction (DDL batches, VACUUM INTO).
    func withWriter<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await writeLock.withLock { try await body(writerSQL) }
    }

    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS one").first()
    }

    public func close() async {
        for connection in [writer] + readers {
            try? await connection.close()
        }
        try? await threadPool.shutdownGracefully()
    }
}

/// Spreads single statements over several connections.
final class RoundRobinSQLDatabase: SQLDatabase {
    let members: [any SQLDatabase]
    private let next = Atomic<Int>(0)

    init(members: [any SQLDatabase]) { self.members = members }

    private var member: any SQLDatabase {
        let index = next.add(1, ordering: .relaxed).oldValue
        return members[index % members.count]
    }

    var logger: Logger { members[0].logger }
    var eventLoop: any EventLoop { members[0].eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { members[0].version }
    var dialect: any SQLDialect { members[0].dialect }
    var queryLogLevel: Logger.Level? { members[0].queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        member.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await member.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(member)
    }
}
