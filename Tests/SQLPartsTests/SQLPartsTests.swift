import Foundation
import Kernel
import SQLKit
import SQLParts
import Testing
import VigilTesting

/// The streamed fold and the lookup cache on real databases, both engines.
@Suite struct SQLPartsTests {
    @Test(arguments: TestEngine.available)
    func foldSeesEveryRowOnceAndStopsAtTheFirstError(_ engine: TestEngine) async throws {
        let scratch = try await TestDatabase.make(engine)
        let database = try await scratch.open()
        defer {
            Task {
                await database.close(); await scratch.destroy()
            }
        }
        try await database.sql.raw("CREATE TABLE numbers (n BIGINT NOT NULL)").run()
        for chunk in stride(from: 1, through: 1_000, by: 100) {
            let values = (chunk..<chunk + 100).map { "(\($0))" }.joined(separator: ",")
            try await database.sql.raw("INSERT INTO numbers (n) VALUES \(unsafeRaw: values)").run()
        }
        let (count, sum) = try await database.sql.fold("SELECT n FROM numbers", into: (0, 0)) { state, row in
            state.0 += 1
            state.1 += try row.decode(column: "n", as: Int.self)
        }
        #expect(count == 1_000 && sum == 500_500)

        struct Stop: Error {}
        await #expect(throws: Stop.self) {
            _ = try await database.sql.fold("SELECT n FROM numbers", into: 0) { seen, _ in
                seen += 1
                if seen == 10 { throw Stop() }
            }
        }
    }

    @Test func cacheAnswersWithinItsLifetimeThenLoadsAgainAndForgetsOnInvalidation() async throws {
        let scratch = try await TestDatabase.make(.sqlite)
        let database = try await scratch.open()
        let other = try await TestDatabase.make(.sqlite)
        let otherDatabase = try await other.open()
        defer {
            Task {
                await database.close(); await otherDatabase.close(); await scratch.destroy(); await other.destroy()
            }
        }
        let cache = LookupCache<Int>(ttl: 60)
        let loads = Counter()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func read(_ at: Date, _ on: any VigilDatabase = database) async throws -> Int {
            try await cache.value("queues", database: on, now: at) { await loads.next() }
        }
        #expect(try await read(start) == 1)
        #expect(try await read(start.addingTimeInterval(59)) == 1)
        // Another database never sees this one's entry.
        #expect(try await read(start, otherDatabase) == 2)
        #expect(try await read(start.addingTimeInterval(61)) == 3)
        // A clock that went back does not serve an entry "from the future".
        #expect(try await read(start) == 4)
        cache.invalidateAll()
        #expect(try await read(start) == 5)
    }
}

private actor Counter {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
