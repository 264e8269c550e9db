import Foundation
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

/// The writer never checkpoints below a high backstop; the checkpointer thread must copy committed
/// pages back into the database file while the store is open.
@Suite struct WALCheckpointTests {
    @Test func committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        let database = try await TestDatabase.make(.sqlite)
        defer { Task { await database.destroy() } }
        let store = try await database.open()
        let path = try #require(database.sqlitePath)
        try await store.rawTransaction { sql in
            try await sql.raw("CREATE TABLE filler (n INTEGER PRIMARY KEY, text TEXT NOT NULL)").run()
        }
        let before = try fileSize(path)
        // About 2 MB in 20 commits: 500 pages, far below the writer's 10,000-page backstop.
        for batch in 0..<20 {
            try await store.rawTransaction { sql in
                for n in 0..<25 {
                    try await sql.raw("INSERT INTO filler (n, text) VALUES (\(bind: batch * 25 + n), \(bind: String(repeating: "x", count: 4_000)))").run()
                }
            }
        }
        var after = try fileSize(path)
        for _ in 0..<50 where after < before + 2_000_000 {
            try await Task.sleep(for: .milliseconds(50))
            after = try fileSize(path)
        }
        #expect(after >= before + 2_000_000, "the database file grew from \(before) to \(after) bytes only")
        #expect(try await store.sql.raw("SELECT COUNT(*) AS n FROM filler").first()?.decode(column: "n", as: Int.self) == 500)
        await store.close()
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
