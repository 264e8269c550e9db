import Foundation
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct BackupTests {
    let invocation = Invocation(principal: Principal.system("test", permissions: []), channel: .cli, requestID: "req-b")
    let plan = MigrationPlan(PlatformSchema.migrations.map { (DomainID.platform, $0) })

    @Test func backupIsConsistentWhileWritesContinueAndRestoreBringsItBack() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        let store = try await database.open()
        try await Migrator(database: store, plan: plan).apply(by: "test")
        let writer = Task {
            for n in 0..<200 {
                try await store.transaction(domain: "alpha", invocation: invocation, now: Date()) { tx in
                    try await tx.audit(AuditEntry(action: "alpha.x", entity: EntityRef("alpha.thing", "\(n)"), region: nil, changes: [], isCreation: true))
                }
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        let backupPath = database.folder.appendingPathComponent("backup.sqlite").path
        let report = try await Backup.backup(store, to: backupPath, logger: TestDatabase.quietLogger)
        try await writer.value
        #expect(report.migrations == PlatformSchema.migrations.count)
        #expect((0...200).contains(report.auditRecords))
        // A second backup to the same file is refused rather than overwriting it.
        await #expect(throws: VigilError.self) { try await Backup.backup(store, to: backupPath, logger: TestDatabase.quietLogger) }
        await store.close()

        let restored = try await Backup.restore(from: backupPath, into: database.sqlitePath!, plan: plan, now: Date(), logger: TestDatabase.quietLogger)
        #expect(restored.previous != nil)
        let reopened = try await database.open()
        let count = try await reopened.sql.raw("SELECT COUNT(*) AS n FROM vigil_audit").first()?.decode(column: "n", as: Int64.self)
        #expect(count == report.auditRecords)
        #expect(try await AuditLog(database: reopened).verify().intact)
        await reopened.close()
        // The replaced database was kept, with all 200 records.
        let previous = try await SQLiteStore.open(path: restored.previous!, logger: TestDatabase.quietLogger)
        #expect(try await previous.sql.raw("SELECT COUNT(*) AS n FROM vigil_audit").first()?.decode(column: "n", as: Int.self) == 200)
        await previous.close()
    }

    @Test func restoreRefusesWhileAServerHoldsTheLockAndRefusesForeignFiles() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        let store = try await database.open()
        try await Migrator(database: store, plan: plan).apply(by: "test")
        let backupPath = database.folder.appendingPathComponent("b.sqlite").path
        _ = try await Backup.backup(store, to: backupPath, logger: TestDatabase.quietLogger)
        await store.close()

        let serverLock = try ServerLock(databasePath: database.sqlitePath!)
        #expect(serverLock.tryAcquire())
        await #expect {
            try await Backup.restore(from: backupPath, into: database.sqlitePath!, plan: plan, now: Date(), logger: TestDatabase.quietLogger)
        } throws: {
            "\($0)".contains("server")
        }
        serverLock.release()

        let junk = database.folder.appendingPathComponent("junk.sqlite").path
        try Data("definitely not sqlite".utf8).write(to: URL(fileURLWithPath: junk))
        await #expect(throws: VigilError.self) {
            try await Backup.restore(from: junk, into: database.sqlitePath!, plan: plan, now: Date(), logger: TestDatabase.quietLogger)
        }
        // A backup written by a build with a migration this build does not know is refused.
        let newer = MigrationPlan(
            PlatformSchema.migrations.map { (DomainID.platform, $0) } + [("vigil", Migration("9999-future", "future", ["CREATE TABLE future (id TEXT)"]))])
        let other = try await SQLiteStore.open(path: backupPath, logger: TestDatabase.quietLogger)
        try await Migrator(database: other, plan: newer).apply(by: "test")
        await other.close()
        await #expect {
            try await Backup.restore(from: backupPath, into: database.sqlitePath!, plan: plan, now: Date(), logger: TestDatabase.quietLogger)
        } throws: {
            "\($0)".contains("9999-future")
        }
    }
}
