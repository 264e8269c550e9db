import Foundation
import Kernel
import SQLKit
import Testing
import VigilTesting
import WorkAssignment

/// The four strategies over a real table, both engines: who is offered first, and capacity that a
/// reservation cannot overfill.
@Suite struct WorkerPoolTests {
    private let pool = WorkerPool(table: "people", key: "id", columns: "id, load_count, capacity", load: "load_count", languages: "languages")

    private func people(_ engine: TestEngine) async throws -> (any VigilDatabase, @Sendable () async -> Void) {
        let scratch = try await TestDatabase.make(engine)
        let database = try await scratch.open()
        try await database.sql.raw(
            """
            CREATE TABLE people (id TEXT PRIMARY KEY, load_count BIGINT NOT NULL, capacity BIGINT NOT NULL, last_assigned_at BIGINT,
            skills TEXT NOT NULL, languages TEXT NOT NULL, on_shift BIGINT NOT NULL)
            """
        ).run()
        // ana: least loaded, skilled in medical; bia: assigned longest ago; caio: full; duda: off shift.
        try await database.sql.raw(
            """
            INSERT INTO people VALUES ('ana', 1, 5, 300, ',medical,', ',pt,', 1), ('bia', 3, 5, 100, ',,', ',pt,es,', 1),
            ('caio', 5, 5, 50, ',medical,', ',pt,', 1), ('duda', 0, 5, 400, ',legal,', ',en,', 0)
            """
        ).run()
        return (
            database,
            {
                await database.close(); await scratch.destroy()
            }
        )
    }

    private func first(_ request: WorkRequest, _ sql: any SQLDatabase) async throws -> (String?, Bool) {
        let (rows, fellBack) = try await pool.candidates(for: request, on: sql)
        return (try rows.first?.decode(column: "id", as: String.self), fellBack)
    }

    @Test(arguments: TestEngine.available)
    func eachStrategyOffersWhomItPromises(_ engine: TestEngine) async throws {
        let (database, close) = try await people(engine)
        defer { Task { await close() } }
        let sql = database.sql
        #expect(try await first(WorkRequest(strategy: .roundRobin), sql) == ("bia", false))
        #expect(try await first(WorkRequest(strategy: .leastLoaded), sql) == ("duda", false))
        #expect(try await first(WorkRequest(strategy: .skillBased, skill: "medical"), sql) == ("ana", false))
        #expect(try await first(WorkRequest(strategy: .skillBased, skill: "medical", language: "es"), sql) == ("duda", true))
        #expect(try await first(WorkRequest(strategy: .availabilityAware, availability: "on_shift = 1"), sql) == ("ana", false))
        #expect(try await first(WorkRequest(strategy: .leastLoaded, conditions: ["id <> 'duda'"]), sql) == ("ana", false))
        // Nobody with the skill and nobody available: the item waits.
        #expect(try await first(WorkRequest(strategy: .availabilityAware, skill: "legal", availability: "on_shift = 1"), sql) == (nil, false))
    }

    @Test(arguments: TestEngine.available)
    func reservationsStopAtCapacityAndReleasesNeverGoBelowZero(_ engine: TestEngine) async throws {
        let (database, close) = try await people(engine)
        defer { Task { await close() } }
        let sql = database.sql
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await pool.reserve("caio", at: now, on: sql) == false)
        #expect(try await pool.reserve("bia", at: now, on: sql))
        #expect(try await pool.reserve("bia", at: now, on: sql))
        #expect(try await pool.reserve("bia", at: now, on: sql) == false)
        // A person's own choice goes past capacity; releases stop at zero.
        try await pool.take("caio", at: nil, on: sql)
        for _ in 0..<3 { try await pool.release("duda", on: sql) }
        let loads = try await sql.raw("SELECT id, load_count FROM people ORDER BY id").all().map {
            "\(try $0.decode(column: "id", as: String.self))=\(try $0.decode(column: "load_count", as: Int.self))"
        }
        #expect(loads == ["ana=1", "bia=5", "caio=6", "duda=0"])
    }
}
