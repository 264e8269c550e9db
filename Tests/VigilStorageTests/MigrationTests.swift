import Foundation
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

@Suite struct MigrationTests {
    static let first = Migration("0001-things", "things", ["CREATE TABLE test_things (id TEXT PRIMARY KEY, n {{double}})"])
    static let second = Migration("0002-more", "more things", ["CREATE TABLE test_more (seq {{autoincrement}}, body {{blob}})"])
    static let betaFirst = Migration("0001-beta", "beta things", ["CREATE TABLE test_beta (id TEXT PRIMARY KEY)"])
    static let edited = Migration("0001-things", "things", ["CREATE TABLE test_things (id TEXT PRIMARY KEY, n INTEGER)"])

    func withDatabase(_ engine: TestEngine, _ body: (any ManagedDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.make(engine)
        let store = try await database.open()
        do {
            try await body(store)
        } catch {
            await store.close()
            await database.destroy()
            throw error
        }
        await store.close()
        await database.destroy()
    }

    @Test(arguments: TestEngine.available)
    func appliesInOrderOnceAndReportsStatus(_ engine: TestEngine) async throws {
        try await withDatabase(engine) { store in
            let plan = MigrationPlan([("alpha", Self.first), ("alpha", Self.second)])
            let migrator = Migrator(database: store, plan: plan)
            #expect(try await migrator.status().map(\.state) == [.pending, .pending])
            #expect(try await migrator.apply(by: "test").map(\.id) == ["0001-things", "0002-more"])
            #expect(try await migrator.apply(by: "test").isEmpty)
            #expect(try await migrator.status().map(\.state) == [.applied, .applied])
            #expect(try await migrator.isCurrent())
            try await store.sql.raw("INSERT INTO test_more (body) VALUES (\(bind: Data([1, 2, 3])))").run()
        }
    }

    @Test(arguments: TestEngine.available)
    func editedMigrationIsRefusedByChecksum(_ engine: TestEngine) async throws {
        try await withDatabase(engine) { store in
            try await Migrator(database: store, plan: MigrationPlan([("alpha", Self.first)])).apply(by: "test")
            let changed = Migrator(database: store, plan: MigrationPlan([("alpha", Self.edited)]))
            #expect(try await changed.status().map(\.state) == [.changed])
            await #expect { try await changed.check() } throws: { error in
                (error as? VigilError)?.kind == .conflict && "\(error)".contains("alpha/0001-things") && "\(error)".contains("checksum")
            }
            await #expect(throws: VigilError.self) { try await changed.apply(by: "test") }
        }
    }

    @Test(arguments: TestEngine.available)
    func migrationUnknownToThisBuildIsRefusedButForeignDomainIsLeftAlone(_ engine: TestEngine) async throws {
        try await withDatabase(engine) { store in
            try await Migrator(database: store, plan: MigrationPlan([("alpha", Self.first), ("alpha", Self.second), ("beta", Self.betaFirst)])).apply(
                by: "test")
            // A build that knows only alpha's first migration: alpha/0002 is a downgrade, beta is another build's domain.
            let older = Migrator(database: store, plan: MigrationPlan([("alpha", Self.first)]))
            let states = Dictionary(uniqueKeysWithValues: try await older.status().map { ("\($0.domain)/\($0.id)", $0.state) })
            #expect(states["alpha/0002-more"] == .unknown)
            #expect(states["beta/0001-beta"] == .foreign)
            await #expect { try await older.check() } throws: { "\($0)".contains("applied by a newer vigil") }
            let smaller = Migrator(database: store, plan: MigrationPlan([("alpha", Self.first), ("alpha", Self.second)]))
            try await smaller.check()
            #expect(try await smaller.isCurrent())
        }
    }

    @Test(arguments: TestEngine.available)
    func failingMigrationIsRolledBackWhole(_ engine: TestEngine) async throws {
        try await withDatabase(engine) { store in
            let broken = Migration("0001-broken", "half good", ["CREATE TABLE test_half (id TEXT)", "CREATE TABLE nonsense syntax here"])
            let migrator = Migrator(database: store, plan: MigrationPlan([("alpha", broken)]))
            await #expect(throws: VigilError.self) { try await migrator.apply(by: "test") }
            let states = try await migrator.status().map(\.state)
            #expect(states == [.pending])
            await #expect(throws: (any Error).self) { try await store.sql.raw("SELECT * FROM test_half").run() }
        }
    }
}
