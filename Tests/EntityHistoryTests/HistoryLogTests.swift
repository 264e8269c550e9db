import EntityHistory
import Foundation
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilTesting

/// The history both desks keep (case timeline, ticket and asset histories) on real databases:
/// lines come back in order a page at a time, with the domain's own columns, and a stored kind or
/// details this build cannot read is an error, not a default.
@Suite struct HistoryLogTests {
    enum Kind: String, Encodable { case opened, noted }
    struct Seen: Encodable, Sendable { let kind: Kind; let text: String; let visibility: String?; let subject: String }
    static let log = HistoryLog(table: "widget_history", subject: "widget_id", extraColumns: ["visibility"])

    private func withLog(_ engine: TestEngine, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let scratch = try await TestDatabase.make(engine)
        let database = try await scratch.open()
        do {
            try await database.sql.raw(
                """
                CREATE TABLE widget_history (id TEXT PRIMARY KEY, widget_id TEXT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
                text TEXT, details TEXT NOT NULL, visibility TEXT)
                """
            ).run()
            try await body(database.sql)
        } catch {
            await database.close()
            await scratch.destroy()
            throw error
        }
        await database.close()
        await scratch.destroy()
    }

    @Test(arguments: TestEngine.available)
    func linesComeBackInOrderAPageAtATimeWithTheirOwnColumns(_ engine: TestEngine) async throws {
        try await withLog(engine) { sql in
            let ids = UUIDv7Generator()
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            // 25 lines for one widget (five at each instant, as one transaction writes them), 3 for another.
            for index in 0..<25 {
                let line = HistoryLine(
                    id: ids.next().lowercased, subject: "w1", at: start.addingTimeInterval(Double(index / 5)), actor: "user:ana",
                    kind: index == 0 ? Kind.opened : .noted, text: "line \(index)", details: .object(["n": .integer(Int64(index))]))
                try await Self.log.append(line, extra: [index.isMultiple(of: 2) ? "external" : nil], on: sql)
            }
            for _ in 0..<3 {
                try await Self.log.append(
                    HistoryLine(id: ids.next().lowercased, subject: "w2", at: start, actor: "user:bia", kind: Kind.noted, text: nil, details: .object([:])),
                    extra: [nil], on: sql)
            }
            var texts: [String] = []
            var visibilities: [String?] = []
            var cursor: Cursor?
            var pages = 0
            repeat {
                let page = try await Self.log.page(of: "w1", after: cursor, limit: 10, on: sql) { line in
                    Seen(
                        kind: try line.kind(Kind.self), text: line.text ?? "", visibility: try line.row.optional("visibility", as: String.self),
                        subject: line.subject)
                }
                pages += 1
                texts += page.items.map(\.text)
                visibilities += page.items.map(\.visibility)
                #expect(page.items.allSatisfy { $0.subject == "w1" })
                #expect(page.items.first.map { $0.kind == .opened } == (pages == 1))
                cursor = page.nextCursor.flatMap(Cursor.init(encoded:))
            } while cursor != nil
            #expect(pages == 3)
            #expect(texts == (0..<25).map { "line \($0)" })
            #expect(visibilities == (0..<25).map { $0.isMultiple(of: 2) ? "external" : nil })
            let all = try await Self.log.all(of: "w2", on: sql) { $0.actor }
            #expect(all == ["user:bia", "user:bia", "user:bia"])
        }
    }

    @Test(arguments: TestEngine.available)
    func aKindOrDetailsThatDoNotReadAreErrors(_ engine: TestEngine) async throws {
        try await withLog(engine) { sql in
            try await sql.raw(
                """
                INSERT INTO widget_history VALUES ('a', 'w1', 1, 'user:ana', 'exploded', NULL, '{}', NULL), ('b', 'w2', 1, 'user:ana', 'noted', NULL, '{not json', NULL)
                """
            ).run()
            await #expect(throws: StoredValueError.self) { _ = try await Self.log.all(of: "w1", on: sql) { try $0.kind(Kind.self) } }
            await #expect(throws: StoredValueError.self) { _ = try await Self.log.all(of: "w2", on: sql) { $0.details } }
            await #expect(throws: VigilError.self) {
                try await Self.log.append(HistoryLine(id: "c", subject: "w1", at: Date(), actor: "x", kind: Kind.noted, text: nil, details: .null), on: sql)
            }
        }
    }
}
