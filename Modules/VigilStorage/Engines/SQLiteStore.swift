import Foundation
import Kernel
import Logging
import SQLKit
import NIOPosix
import SQLiteNIO

/// The embedded default: one SQLite file in WAL mode. One writer connection takes transactions in
/// turn, grouped into shared commits (GroupCommitWriter; SQLite allows one writer anyway); reader
/// connections serve queries concurrently from WAL snapshots. Both run statements directly on the
/// calling thread (see DirectSQLiteConnection).
public final class SQLiteStore: ManagedDatabase {
    public let location: DatabaseLocation
    public let family: SQLDialectFamily = .sqlite
    public let outboxSignal = OutboxSignal()
    public let snapshots = ReadSnapshots()
    public let sql: any SQLDatabase

    let path: String
    private let writer: DirectSQLiteConnection
    private let writerSQL: any SQLDatabase
    private let readers: DirectSQLitePool
    private let writes: GroupCommitWriter
    private let checkpointer: WALCheckpointer
    private let writerThread: DedicatedThread
    private let readerThreads: NIOThreadPool
    private let statistics: Task<Void, Never>

    public struct Options: Sendable {
        /// Reader connections opened up front; more open on demand when more threads read at once.
        public var readers: Int = 3
        /// Threads that run reader statements (at most this many reader connections are busy).
        public var readerThreads: Int = 4
        /// FULL: a committed transaction survives a power cut. NORMAL: it survives a crash of the
        /// process, and the last commits may be lost on a power cut, for faster writes.
        public var synchronous: String = "FULL"
        public var busyTimeoutMilliseconds: Int32 = 5_000
        public init() {}
    }

    public static func open(path: String, options: Options = .init(), logger: Logger) async throws -> SQLiteStore {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw VigilError(.unavailable, "cannot create the database \(path): the folder \(directory) does not exist")
        }
        do {
            let writer = try DirectSQLiteConnection(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
            let mode = try single(writer, "PRAGMA journal_mode = WAL")
            guard case .text(let text) = mode, text.lowercased() == "wal" else {
                writer.close()
                throw VigilError(.unavailable, "the database could not switch to WAL mode (it is in \(mode.map { "\($0)" } ?? "unknown") mode)")
            }
            try configure(writer, options: options)
            try writer.execute("PRAGMA wal_autocheckpoint = \(WALCheckpointer.backstopPages)", []) { _ in }
            // The planner's statistics as the data stands now (another process may have filled
            // the file since they were last taken): without them SQLite guesses, and picks, say,
            // a scan of every case ever assigned over the index of a region's open cases.
            try writer.execute(PlannerStatistics.refresh, []) { _ in }
            let readers = DirectSQLitePool {
                let reader = try DirectSQLiteConnection(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
                try configure(reader, options: options)
                return reader
            }
            // Open the first readers now, so that a bad file fails at start, not at the first request.
            try readers.withConnection { _ = try single($0, "SELECT 1") }
            let checkpointer = WALCheckpointer(connection: try DirectSQLiteConnection(path: path, busyTimeoutMilliseconds: 0))
            checkpointer.start()
            let readerThreads = NIOThreadPool(numberOfThreads: max(1, options.readerThreads))
            readerThreads.start()
            return SQLiteStore(path: path, writer: writer, readers: readers, readerThreads: readerThreads, checkpointer: checkpointer, logger: logger)
        } catch let error as DirectSQLiteError {
            throw VigilError(.unavailable, "cannot open the SQLite database \(path): \(error.message)")
        }
    }

    private static func configure(_ connection: DirectSQLiteConnection, options: Options) throws {
        for pragma in [
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = \(options.synchronous == "NORMAL" ? "NORMAL" : "FULL")",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA cache_size = -32000",
            "PRAGMA analysis_limit = \(PlannerStatistics.sampleRows)",
        ] {
            try connection.execute(pragma, []) { _ in }
        }
    }

    private static func single(_ connection: DirectSQLiteConnection, _ sql: String) throws -> SQLiteData? {
        var result: SQLiteData?
        try connection.execute(sql, []) { row in result = row.values.first }
        return result
    }

    private init(
        path: String, writer: DirectSQLiteConnection, readers: DirectSQLitePool, readerThreads: NIOThreadPool, checkpointer: WALCheckpointer, logger: Logger
    ) {
        self.checkpointer = checkpointer
        self.location = .sqlite(path: path)
        self.path = path
        self.writer = writer
        self.writerThread = DedicatedThread(name: "vigil-sqlite-writer")
        self.writerSQL = DirectSQLDatabase(.fixed(writer), logger: logger)
        self.writes = GroupCommitWriter(session: writerSQL, executor: writerThread)
        self.readers = readers
        self.readerThreads = readerThreads
        self.sql = DirectSQLDatabase(.pool(readers), threads: readerThreads, logger: logger)
        self.statistics = PlannerStatistics.keepCurrent(writes)
    }

    public func transaction<R: Sendable>(
        domain: DomainID,
        invocation: Invocation,
        now: Date,
        _ body: @escaping @Sendable (Transaction) async throws -> R
    ) async throws -> R {
        let signal = outboxSignal
        let (result, published) = try await writes.write { session in
            let transaction = Transaction(sql: session, domain: domain, invocation: invocation, now: now, family: .sqlite, backend: PlatformBackend())
            return (try await body(transaction), transaction.publishedEventCount)
        }
        snapshots.recordChange()
        if published > 0 { signal.notify() }
        return result
    }

    public func rawTransaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let result = try await writes.write(body)
        snapshots.recordChange()
        return result
    }

    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS one").first()
    }

    public func close() async {
        // Waits for writes already queued: the last write in line is this one.
        statistics.cancel()
        _ = try? await writes.write { _ in true }
        await checkpointer.stop()
        writerThread.stop()
        try? await readerThreads.shutdownGracefully()
        writer.close()
        readers.closeAll()
    }
}
