import ArgumentParser
import Foundation
import Kernel
import Logging
import VigilServer
import VigilStorage

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the SQLite database to a new file, while the server keeps running."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to create (it must not exist).") var file: String

    func run() async throws {
        try await PlatformCommand.run(global, schema: .checkOnly) { runtime, _, output in
            let report = try await Backup.backup(runtime.database, to: file, logger: runtime.logger)
            try output.emit(report) {
                Table.record([
                    ("file", report.file), ("bytes", String(report.bytes)), ("migrations", String(report.migrations)),
                    ("audit records", String(report.auditRecords)),
                ])
            }
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup (the server must be stopped).",
        discussion:
            "The backup is checked (integrity, and migrations this build knows) before anything changes. The current database is kept beside it as <file>.before-restore-<time>."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var file: String
    @Flag(help: "Confirm replacing the current database.") var yes = false

    private struct Restored: Encodable { let restored: Backup.Report; let previousKeptAt: String? }

    func run() async throws {
        do {
            let config = try await LoadedConfig.load(configFile: global.config)
            let settings = try RuntimeSettings(config: config.reader, databaseOverride: global.database)
            guard case .sqlite(let path) = settings.database else {
                throw VigilError(.badRequest, "vigil restore replaces a SQLite file; restore PostgreSQL with pg_restore")
            }
            guard yes else {
                throw CommandFailure.usage("this replaces \(path) with \(file); add --yes to confirm")
            }
            var logger = Logger(label: "vigil")
            logger.logLevel = .warning
            let result = try await Backup.restore(from: file, into: path, plan: MigrationPlan(registry: VigilCLI.registry), now: Date(), logger: logger)
            try CommandOutput(json: global.json).emit(Restored(restored: result.report, previousKeptAt: result.previous)) {
                Table.record([
                    ("restored from", file), ("into", path), ("previous database kept at", result.previous ?? "-"),
                    ("audit records", String(result.report.auditRecords)),
                ])
            }
        } catch {
            throw CommandFailure.from(error)
        }
    }
}
