import Kernel

enum IncidentOpsMigrations {
    static let all: [Migration] = [
        Migration(
            "0001-cases", "incident cases (intake)",
            [
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
        Migration(
            "0002-lifecycle", "case lifecycle fields and the case timeline",
            [
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
        Migration(
            "0003-sla", "SLA policies and clocks",
            [
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
        Migration(
            "0004-queues", "queues, analysts, the shift roster and case assignment",
            [
                "ALTER TABLE incident_cases ADD COLUMN queue_id TEXT",
                "ALTER TABLE incident_cases ADD COLUMN assignee TEXT",
                "ALTER TABLE incident_cases ADD COLUMN assigned_at BIGINT",
                "CREATE INDEX incident_cases_queue ON incident_cases(queue_id, assignee, created_at, id)",
                "CREATE INDEX incident_cases_assignee ON incident_cases(assignee, status)",
                """
                CREATE TABLE incident_queues (
                    id TEXT PRIMARY KEY,
                    region TEXT NOT NULL,
                    name TEXT NOT NULL,
                    business_line TEXT,
                    category TEXT,
                    required_skill TEXT,
                    required_language TEXT,
                    strategy TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL,
                    UNIQUE (region, name)
                )
                """,
                """
                CREATE TABLE incident_analysts (
                    user_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    region TEXT NOT NULL,
                    skills TEXT NOT NULL,
                    languages TEXT NOT NULL,
                    capacity INTEGER NOT NULL,
                    sensitive_ok BOOLEAN NOT NULL,
                    active_cases INTEGER NOT NULL,
                    last_assigned_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX incident_analysts_region ON incident_analysts(region, active_cases)",
                """
                CREATE TABLE incident_shifts (
                    id TEXT PRIMARY KEY,
                    region TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    role TEXT NOT NULL,
                    starts_at BIGINT NOT NULL,
                    ends_at BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    approved_by TEXT,
                    note TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX incident_shifts_region_time ON incident_shifts(region, ends_at, starts_at)",
                "CREATE INDEX incident_shifts_user ON incident_shifts(user_id, ends_at)",
            ]),
        Migration(
            "0005-escalations", "escalation policies and escalations",
            [
                """
                CREATE TABLE incident_escalation_policies (
                    region TEXT PRIMARY KEY,
                    policy TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE incident_escalations (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES incident_cases(id),
                    region TEXT NOT NULL,
                    trigger_kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    target_roles TEXT NOT NULL,
                    state TEXT NOT NULL,
                    raised_at BIGINT NOT NULL,
                    raised_by TEXT NOT NULL,
                    level_since BIGINT NOT NULL,
                    next_level_at BIGINT,
                    acknowledged_at BIGINT,
                    acknowledged_by TEXT,
                    closed_at BIGINT,
                    closed_by TEXT
                )
                """,
                "CREATE INDEX incident_escalations_case ON incident_escalations(case_id, state)",
                "CREATE INDEX incident_escalations_inbox ON incident_escalations(region, state, raised_at)",
                "CREATE INDEX incident_escalations_next ON incident_escalations(next_level_at)",
            ]),
        Migration(
            "0006-handovers", "shift handovers",
            [
                """
                CREATE TABLE incident_handovers (
                    id TEXT PRIMARY KEY,
                    region TEXT NOT NULL,
                    shift_ends_at BIGINT NOT NULL,
                    generated_at BIGINT NOT NULL,
                    generated_by TEXT NOT NULL,
                    notes TEXT,
                    snapshot TEXT NOT NULL,
                    acknowledged_at BIGINT,
                    acknowledged_by TEXT,
                    UNIQUE (region, shift_ends_at)
                )
                """,
                "CREATE INDEX incident_handovers_region ON incident_handovers(region, generated_at)",
                "CREATE INDEX incident_cases_region_open ON incident_cases(region, status, assignee)",
            ]),
        Migration(
            "0007-sop", "SOP runbooks and case checklists",
            [
                """
                CREATE TABLE incident_sops (
                    id TEXT PRIMARY KEY,
                    category TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    steps TEXT NOT NULL,
                    published_at BIGINT NOT NULL,
                    published_by TEXT NOT NULL,
                    UNIQUE (category, version)
                )
                """,
                "ALTER TABLE incident_cases ADD COLUMN sop_id TEXT",
                """
                CREATE TABLE incident_case_steps (
                    case_id TEXT NOT NULL REFERENCES incident_cases(id),
                    step_key TEXT NOT NULL,
                    title TEXT NOT NULL,
                    mandatory BOOLEAN NOT NULL,
                    due_at BIGINT NOT NULL,
                    done_at BIGINT,
                    done_by TEXT,
                    waived_at BIGINT,
                    waived_by TEXT,
                    waiver_reason TEXT,
                    PRIMARY KEY (case_id, step_key)
                )
                """,
            ]),
        Migration(
            "0008-queue-view", "the soonest SLA due of each case, for queue views",
            [
                // Max Int64 when no clock runs, so that the order needs no NULL handling.
                "ALTER TABLE incident_cases ADD COLUMN next_due_at BIGINT NOT NULL DEFAULT 9223372036854775807",
                "CREATE INDEX incident_cases_queue_due ON incident_cases(queue_id, next_due_at, id)",
            ]),
        Migration(
            "0009-links", "linked cases",
            [
                """
                CREATE TABLE incident_case_links (
                    from_case TEXT NOT NULL REFERENCES incident_cases(id),
                    to_case TEXT NOT NULL REFERENCES incident_cases(id),
                    kind TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    PRIMARY KEY (from_case, to_case, kind)
                )
                """,
                "CREATE INDEX incident_case_links_to ON incident_case_links(to_case, kind)",
            ]),
        Migration(
            "0010-taxonomy-priority", "subcategories per region, urgency and priority",
            [
                "ALTER TABLE incident_cases ADD COLUMN subcategory TEXT",
                "ALTER TABLE incident_cases ADD COLUMN urgency TEXT NOT NULL DEFAULT 'medium'",
                "ALTER TABLE incident_cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'P3'",
                """
                CREATE TABLE incident_taxonomy (
                    region TEXT NOT NULL,
                    category TEXT NOT NULL,
                    subcategory TEXT NOT NULL,
                    PRIMARY KEY (region, category, subcategory)
                )
                """,
            ]),
        Migration(
            "0011-qa-reviews", "quality reviews of closed cases",
            [
                """
                CREATE TABLE incident_qa_reviews (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL UNIQUE REFERENCES incident_cases(id),
                    analyst_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    week_start BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    scores TEXT,
                    score {{double}},
                    comment TEXT,
                    reviewer TEXT,
                    reviewed_at BIGINT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX incident_qa_reviews_analyst ON incident_qa_reviews(analyst_id, week_start)",
                "CREATE INDEX incident_qa_reviews_region ON incident_qa_reviews(region, week_start, state)",
            ]),
        Migration(
            "0012-desk-indexes", "indexes for the SLA scanner, handovers and picking analysts on large desks",
            [
                // The scanner looks for crossings not yet recorded; once recorded, a clock leaves these
                // indexes, so a pass reads only what it may still have to mark.
                "DROP INDEX incident_sla_clocks_due",
                "CREATE INDEX incident_sla_clocks_due ON incident_sla_clocks(due_at) WHERE breached_at IS NULL",
                "DROP INDEX incident_sla_clocks_warning",
                "CREATE INDEX incident_sla_clocks_warning ON incident_sla_clocks(warning_at) WHERE warned_at IS NULL",
                // Handovers list a region's breached and at-risk open clocks.
                "CREATE INDEX incident_sla_clocks_open ON incident_sla_clocks(region, due_at) WHERE stopped_at IS NULL",
                // Candidate analysts come in strategy order straight from an index, however large the desk.
                "DROP INDEX incident_analysts_region",
                "CREATE INDEX incident_analysts_load ON incident_analysts(region, active_cases, last_assigned_at, user_id)",
                "CREATE INDEX incident_analysts_turn ON incident_analysts(region, last_assigned_at, user_id)",
                // Escalation notices look for the specialists and coordinators on shift, not every analyst.
                "CREATE INDEX incident_shifts_region_role ON incident_shifts(region, role, ends_at)",
            ]),
        Migration(
            "0013-handover-without-sensitive", "the handover as readers without sensitive access see it",
            [
                // Built beside the full snapshot when the handover is written: its lists and counts
                // leave sensitive cases out, for readers who may not know of them.
                "ALTER TABLE incident_handovers ADD COLUMN restricted_snapshot TEXT"
            ]),
        Migration(
            "0014-open-case-load", "each open case's SLA trouble kept on its row, and an index of open cases that answers the desk's load alone",
            [
                // Kept by SLAClockStore.refreshCase whenever a clock of the case is written: its
                // running clocks breached, at warning (not breached), and the soonest due of those
                // not breached (max Int64 when none). The dashboard counts these instead of joining
                // every running clock of a region after each change.
                "ALTER TABLE incident_cases ADD COLUMN sla_breached INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE incident_cases ADD COLUMN sla_at_risk INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE incident_cases ADD COLUMN sla_watch_due BIGINT NOT NULL DEFAULT 9223372036854775807",
                // One pass over the running clocks, grouped per case and joined on the key: a
                // correlated subquery per case leaves the plan to statistics a fresh or large
                // database may not have yet (it ran for minutes on a million cases).
                """
                UPDATE incident_cases SET
                    sla_breached = k.breached, sla_at_risk = k.at_risk,
                    sla_watch_due = COALESCE(k.watch_due, 9223372036854775807)
                FROM (SELECT case_id,
                        SUM(CASE WHEN breached_at IS NOT NULL THEN 1 ELSE 0 END) AS breached,
                        SUM(CASE WHEN warned_at IS NOT NULL AND breached_at IS NULL THEN 1 ELSE 0 END) AS at_risk,
                        MIN(CASE WHEN breached_at IS NULL THEN due_at END) AS watch_due
                    FROM incident_sla_clocks WHERE stopped_at IS NULL GROUP BY case_id) AS k
                WHERE incident_cases.id = k.case_id
                """,
                // Only open cases, with every column the workload and the handover's counts read
                // (status too: SQLite counts an index as covering only when it holds the columns of
                // its own condition). It replaces the index on (region, status, assignee).
                """
                CREATE INDEX incident_cases_open_load ON incident_cases(
                    region, queue_id, assignee, sensitive, created_at, sla_breached, sla_at_risk, sla_watch_due, status)
                WHERE status IN ('new', 'triaged', 'assigned', 'in-progress', 'waiting', 'escalated')
                """,
                "DROP INDEX incident_cases_region_open",
            ]),
    ]
}
