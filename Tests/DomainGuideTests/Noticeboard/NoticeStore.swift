import Kernel

/// The notices' table. Reading and writing it is derived from `Notice` (`StoredEntity`).
enum NoticeStore {
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
}
