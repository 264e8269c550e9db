import Kernel
import SQLKit

/// The notices' table and its SQL.
enum NoticeStore {
    static let table = "noticeboard_notices"
    static let order: [KeysetColumn] = [.descending("created_at"), .descending("id")]

    static let migration = Migration(
        "0001-notices", "notices",
        [
            """
            CREATE TABLE noticeboard_notices (
                id TEXT PRIMARY KEY, region TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, pinned BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL
            )
            """,
            // A region's board is read newest first: the keyset order, as an index range.
            "CREATE INDEX noticeboard_notices_region ON noticeboard_notices(region, created_at, id)",
        ])

    static func find(_ id: String, on sql: any SQLDatabase) async throws -> Notice? {
        try await sql.select().column(SQLRaw(Notice.columns)).from(table).where("id", .equal, id).first().map(Notice.init(row:))
    }

    static func insert(_ notice: Notice, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: table).row([
            "id": notice.id, "region": notice.region, "title": notice.title, "body": notice.body, "pinned": notice.pinned,
            "created_at": notice.createdAt, "updated_at": notice.updatedAt, "version": notice.version,
        ]).run()
    }
}
