import Calendars
import Foundation
import Kernel
import Logging
import NIOPosix
import SQLiteKit
import SQLKit

/// Online backups of the SQLite file and restores from them.
public enum Backup {
    public struct Report: Sendable, Codable {
        public let file: String
        public let bytes: Int64
        public let migrations: Int
        public let auditRecords: Int64
    }

    /// Writes a consistent copy with `VACUUM INTO`, which reads one snapshot of the database: the
    /// server keeps serving and writing meanwhile (WAL), and the copy is compact and checked.
    public static func backup(_ database: any ManagedDatabase, to target: String, logger: Logger) async throws -> Report {
        guard case .sqlite = database.location else {
            throw VigilError(
                .badRequest, "vigil backup copies the SQLite file; for PostgreSQL use pg_dump (and pg_restore), which take consistent online dumps")
        }
        guard !FileManager.default.fileExists(atPath: target) else {
            throw VigilError(.conflict, "\(target) exists already; choose a new file name (backups are never overwritten)")
        }
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw VigilError(.badRequest, "cannot write into \(directory)")
        }
        try await database.sql.raw("VACUUM INTO \(bind: target)").run()
        return try await inspect(target, logger: logger)
    }

    /// Checks that a file is an intact Vigil database and describes it.
    public static func inspect(_ file: String, logger: Logger) async throws -> Report {
        guard FileManager.default.fileExists(atPath: file) else { throw VigilError(.notFound, "there is no file \(file)") }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: file), threadPool: pool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            throw VigilError(.badRequest, "\(file) is not a SQLite database")
        }
        do {
            let sql = connection.sql(queryLogLevel: nil)
            let integrity = try await sql.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            guard integrity == "ok" else { throw VigilError(.badRequest, "\(file) is damaged: \(integrity ?? "no answer")") }
            let hasLedger =
                try await sql.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'vigil_migrations'").first()?.decode(column: "n", as: Int.self) ?? 0
            guard hasLedger == 1 else { throw VigilError(.badRequest, "\(file) is a SQLite database but not a Vigil database") }
            let migrations = try await sql.raw("SELECT COUNT(*) AS n FROM vigil_migrations").first()?.decode(column: "n", as: Int.self) ?? 0
            let hasAudit =
                try await sql.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'vigil_audit'").first()?.decode(column: "n", as: Int.self) ?? 0
            let audit = hasAudit == 1 ? try await sql.raw("SELECT COUNT(*) AS n FROM vigil_audit").first()?.decode(column: "n", as: Int64.self) ?? 0 : 0
            try await connection.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0
            return Report(file: file, bytes: size, migrations: migrations, auditRecords: audit)
        } catch let error as VigilError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw VigilError(.badRequest, "\(file) is not a readable SQLite database: \(error)")
        }
    }

    /// Replaces the database file with a backup. The server must be stopped (its lock is checked).
    /// The current file is kept beside it as `<file>.before-restore-<time>`, so a restore can be
    /// undone; the backup is checked first and must match this build's migrations.
    public static func restore(from backupFile: String, into databasePath: String, plan: MigrationPlan, now: Date, logger: Logger) async throws -> (
        report: Report, previous: String?
    ) {
        let report = try await inspect(backupFile, logger: logger)
        let probe = try await SQLiteStore.open(
            path: backupFile,
            options: {
                var options = SQLiteStore.Options(); options.readers = 1; return options
            }(), logger: logger)
        do {
            try await Migrator(database: probe, plan: plan).check()
            await probe.close()
        } catch {
            await probe.close()
            throw error
        }
        let lock = try ServerLock(databasePath: databasePath)
        guard lock.tryAcquire() else {
            throw VigilError(.conflict, "a vigil server is using \(databasePath); stop it before restoring")
        }
        defer { lock.release() }
        let manager = FileManager.default
        let staging = databasePath + ".restoring"
        try? manager.removeItem(atPath: staging)
        try manager.copyItem(atPath: backupFile, toPath: staging)
        var previous: String?
        if manager.fileExists(atPath: databasePath) {
            let stamp = ISO8601.format(now).replacingOccurrences(of: ":", with: "")
            let kept = "\(databasePath).before-restore-\(stamp)"
            try manager.moveItem(atPath: databasePath, toPath: kept)
            for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: databasePath + suffix) {
                try manager.moveItem(atPath: databasePath + suffix, toPath: kept + suffix)
            }
            previous = kept
        }
        try manager.moveItem(atPath: staging, toPath: databasePath)
        return (report, previous)
    }
}
