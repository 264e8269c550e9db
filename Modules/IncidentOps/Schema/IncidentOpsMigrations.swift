import Kernel

enum IncidentOpsMigrations {
    static let all: [Migration] = [
        Migration("0001-cases", "incident cases (intake)", [
            """
            CREATE TABLE incident_cases (
                id TEXT PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE,
                region TEXT NOT NULL,
                business_line TEXT NOT NULL,
                category TEXT NOT NULL,
                severity TEXT NOT NULL,
                status TEXT NOT NULL,
                description TEXT NOT NULL,
                location_address TEXT,
                latitude {{double}},
                longitude {{double}},
                sensitive BOOLEAN NOT NULL,
                reporter_name TEXT,
                reporter_contact TEXT,
                occurred_at BIGINT,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            // Each list filter an analyst uses has an index ending in the keyset order
            // (created_at, id), so a page is an index range, not a sort.
            "CREATE INDEX incident_cases_created ON incident_cases(created_at, id)",
            "CREATE INDEX incident_cases_region_created ON incident_cases(region, created_at, id)",
            "CREATE INDEX incident_cases_region_status ON incident_cases(region, status, created_at, id)",
            "CREATE INDEX incident_cases_region_severity ON incident_cases(region, severity, created_at, id)",
        ]),
    ]
}
