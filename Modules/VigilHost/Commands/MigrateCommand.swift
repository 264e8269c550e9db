import ArgumentParser
import Calendars
import Foundation
import Kernel
import Logging
import VigilServer
import VigilStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations of the platform and every domain in this build, or show their status."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Show each migration's state instead of applying.") var status = false

    func run() async throws {
        do {
            let config = try await LoadedConfig.load(configFile: global.config)
            let settings = try RuntimeSettings(config: config.reader, databaseOverride: global.database)
            let database = try await DatabaseOpener.open(
                settings.database, sqliteOptions: settings.sqliteOptions, poolWaitSeconds: settings.poolWaitSeconds, logger: Logger(label: "vigil"))
            let migrator = Migrator(database: database, plan: MigrationPlan(registry: VigilCLI.registry))
            let output = CommandOutput(json: global.json)
            if status {
                let rows: [Migrator.Status]
                do { rows = try await migrator.status() } catch { await database.close(); throw error }
                await database.close()
                try output.emit(rows) {
                    Table(
                        ["domain", "migration", "state", "applied", "summary"],
                        rows.map {
                            [$0.domain, $0.id, $0.state.rawValue, $0.appliedAt.map(ISO8601.format) ?? "-", $0.summary]
                        })
                }
                if rows.contains(where: { $0.state == .changed || $0.state == .unknown }) {
                    throw CommandFailure(message: "the database does not match this build (see the changed or unknown rows)", exitCode: 75)
                }
                return
            }
            let applied: [Migrator.Status]
            do {
                applied = try await migrator.apply(by: "cli(\(OperatingSystemUser.name))")
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            try output.emit(applied) {
                Table(["domain", "migration", "summary"], applied.map { [$0.domain, $0.id, $0.summary] })
            }
            output.note(applied.isEmpty ? "Nothing to apply: the database is current." : "Applied \(applied.count) migration(s).")
        } catch {
            throw CommandFailure.from(error)
        }
    }
}
