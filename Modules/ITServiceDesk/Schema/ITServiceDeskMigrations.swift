import Kernel

enum ITServiceDeskMigrations {
    static let all: [Migration] = [
        Migration("0001-sites", "offices with their business calendars and cost centers", [
            """
            CREATE TABLE it_sites (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                country TEXT NOT NULL,
                region TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                currency TEXT NOT NULL,
                fiscal_year_start_month INTEGER NOT NULL,
                hours TEXT NOT NULL,
                national_holidays BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            "CREATE INDEX it_sites_region ON it_sites(region, code)",
            """
            CREATE TABLE it_site_holidays (
                site_id TEXT NOT NULL REFERENCES it_sites(id),
                day TEXT NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (site_id, day)
            )
            """,
            """
            CREATE TABLE it_cost_centers (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                site_id TEXT NOT NULL REFERENCES it_sites(id),
                created_at BIGINT NOT NULL
            )
            """,
        ]),
        Migration("0002-tickets", "IT tickets, their SLA clocks, links and history; assignment groups and agents", [
            """
            CREATE TABLE it_groups (
                id TEXT PRIMARY KEY,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                categories TEXT NOT NULL,
                strategy TEXT NOT NULL,
                required_skill TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL,
                UNIQUE (region, name)
            )
            """,
            """
            CREATE TABLE it_agents (
                user_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                actor TEXT NOT NULL,
                region TEXT NOT NULL,
                skills TEXT NOT NULL,
                capacity INTEGER NOT NULL,
                active_tickets INTEGER NOT NULL,
                last_assigned_at BIGINT NOT NULL,
                available BOOLEAN NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE it_group_members (
                group_id TEXT NOT NULL REFERENCES it_groups(id),
                user_id TEXT NOT NULL REFERENCES it_agents(user_id),
                PRIMARY KEY (group_id, user_id)
            )
            """,
            "CREATE INDEX it_group_members_user ON it_group_members(user_id, group_id)",
            """
            CREATE TABLE it_sla_targets (
                type TEXT NOT NULL,
                priority TEXT NOT NULL,
                own_minutes INTEGER NOT NULL,
                resolve_minutes INTEGER NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (type, priority)
            )
            """,
            """
            CREATE TABLE it_tickets (
                id TEXT PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                category TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                site_id TEXT NOT NULL REFERENCES it_sites(id),
                region TEXT NOT NULL,
                impact INTEGER NOT NULL,
                urgency INTEGER NOT NULL,
                priority TEXT NOT NULL,
                status TEXT NOT NULL,
                requester TEXT NOT NULL,
                group_id TEXT,
                assignee TEXT,
                assignee_actor TEXT,
                parent_id TEXT REFERENCES it_tickets(id),
                approval TEXT NOT NULL,
                approval_by TEXT,
                approval_at BIGINT,
                approval_note TEXT,
                pending_reason TEXT,
                resolution TEXT,
                resolved_at BIGINT,
                closed_at BIGINT,
                satisfaction INTEGER,
                satisfaction_comment TEXT,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            "CREATE INDEX it_tickets_region_status ON it_tickets(region, status, created_at, id)",
            "CREATE INDEX it_tickets_site_status ON it_tickets(site_id, status, created_at, id)",
            "CREATE INDEX it_tickets_created ON it_tickets(created_at, id)",
            "CREATE INDEX it_tickets_parent ON it_tickets(parent_id, status)",
            "CREATE INDEX it_tickets_assignee ON it_tickets(assignee, status)",
            """
            CREATE TABLE it_ticket_clocks (
                ticket_id TEXT NOT NULL REFERENCES it_tickets(id),
                kind TEXT NOT NULL,
                target_seconds BIGINT NOT NULL,
                spent_seconds BIGINT NOT NULL,
                running_since BIGINT,
                due_at BIGINT,
                stopped_at BIGINT,
                breached_at BIGINT,
                PRIMARY KEY (ticket_id, kind)
            )
            """,
            // Only clocks still to watch: the breach scanner reads a short range, however long the history.
            "CREATE INDEX it_ticket_clocks_watch ON it_ticket_clocks(due_at) WHERE running_since IS NOT NULL AND breached_at IS NULL",
            """
            CREATE TABLE it_ticket_links (
                from_id TEXT NOT NULL REFERENCES it_tickets(id),
                to_type TEXT NOT NULL,
                to_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                PRIMARY KEY (from_id, kind, to_type, to_id)
            )
            """,
            "CREATE INDEX it_ticket_links_to ON it_ticket_links(to_type, to_id)",
            """
            CREATE TABLE it_ticket_history (
                id TEXT PRIMARY KEY,
                ticket_id TEXT NOT NULL REFERENCES it_tickets(id),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT,
                details TEXT NOT NULL
            )
            """,
            "CREATE INDEX it_ticket_history_ticket ON it_ticket_history(ticket_id, at, id)",
        ]),
        Migration("0003-assets", "asset models, assets, their history and imports", [
            """
            CREATE TABLE it_asset_models (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                manufacturer TEXT NOT NULL,
                category TEXT NOT NULL,
                expected_life_months INTEGER NOT NULL,
                unit_cost BIGINT NOT NULL,
                currency TEXT NOT NULL,
                depreciation TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE it_assets (
                id TEXT PRIMARY KEY,
                tag TEXT NOT NULL UNIQUE,
                serial TEXT UNIQUE,
                model_id TEXT NOT NULL REFERENCES it_asset_models(id),
                category TEXT NOT NULL,
                status TEXT NOT NULL,
                site_id TEXT NOT NULL REFERENCES it_sites(id),
                cost_center_id TEXT,
                assigned_to TEXT,
                location TEXT,
                supplier TEXT,
                purchase_order TEXT,
                invoice TEXT,
                purchase_date TEXT NOT NULL,
                cost BIGINT NOT NULL,
                currency TEXT NOT NULL,
                salvage BIGINT NOT NULL,
                life_months INTEGER NOT NULL,
                depreciation TEXT NOT NULL,
                warranty_end TEXT,
                check_in_due TEXT,
                last_audit TEXT,
                next_audit_due TEXT,
                disposal_method TEXT,
                disposal_value BIGINT,
                retired_on TEXT,
                import_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version INTEGER NOT NULL
            )
            """,
            // The asset list: by site and status in tag order, a page is an index range.
            "CREATE INDEX it_assets_site_status ON it_assets(site_id, status, tag)",
            "CREATE INDEX it_assets_status ON it_assets(status, tag)",
            """
            CREATE TABLE it_asset_history (
                id TEXT PRIMARY KEY,
                asset_id TEXT NOT NULL REFERENCES it_assets(id),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT,
                details TEXT NOT NULL
            )
            """,
            "CREATE INDEX it_asset_history_asset ON it_asset_history(asset_id, at, id)",
            """
            CREATE TABLE it_asset_imports (
                id TEXT PRIMARY KEY,
                file_name TEXT NOT NULL,
                actor TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                row_count INTEGER NOT NULL,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL,
                unchanged INTEGER NOT NULL,
                rejected INTEGER NOT NULL,
                errors TEXT NOT NULL
            )
            """,
        ]),
    ]
}
