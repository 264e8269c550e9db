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
        Migration("0002-lifecycle", "case lifecycle fields and the case timeline", [
            "ALTER TABLE incident_cases ADD COLUMN waiting_on TEXT",
            "ALTER TABLE incident_cases ADD COLUMN resolution_code TEXT",
            "ALTER TABLE incident_cases ADD COLUMN resolved_at BIGINT",
            "ALTER TABLE incident_cases ADD COLUMN closed_at BIGINT",
            "ALTER TABLE incident_cases ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0",
            """
            CREATE TABLE incident_case_timeline (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES incident_cases(id),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                visibility TEXT NOT NULL,
                text TEXT,
                details TEXT NOT NULL
            )
            """,
            "CREATE INDEX incident_case_timeline_case ON incident_case_timeline(case_id, at, id)",
        ]),
        Migration("0003-sla", "SLA policies and clocks", [
            """
            CREATE TABLE incident_sla_policies (
                region TEXT NOT NULL,
                business_line TEXT NOT NULL,
                severity TEXT NOT NULL,
                acknowledge_minutes INTEGER NOT NULL,
                first_action_minutes INTEGER NOT NULL,
                resolve_minutes INTEGER NOT NULL,
                warning_percent INTEGER NOT NULL,
                calendar TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (region, business_line, severity)
            )
            """,
            """
            CREATE TABLE incident_sla_clocks (
                case_id TEXT NOT NULL REFERENCES incident_cases(id),
                kind TEXT NOT NULL,
                region TEXT NOT NULL,
                target_seconds BIGINT NOT NULL,
                warning_percent INTEGER NOT NULL,
                calendar TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                elapsed_seconds BIGINT NOT NULL,
                running_since BIGINT,
                due_at BIGINT,
                warning_at BIGINT,
                stopped_at BIGINT,
                warned_at BIGINT,
                breached_at BIGINT,
                pauses INTEGER NOT NULL,
                PRIMARY KEY (case_id, kind)
            )
            """,
            "CREATE INDEX incident_sla_clocks_due ON incident_sla_clocks(due_at)",
            "CREATE INDEX incident_sla_clocks_warning ON incident_sla_clocks(warning_at)",
        ]),
    ]
}
